import { sql, type Kysely } from 'kysely';
import { refreshSearchIndex } from '../../directory/directory.repository.js';
import { loadCollectivites } from '../../directory/public-bodies.js';
import { addSearchWords, wordsOf } from '../../directory/search-words.js';
import { isPublicBody, sizeScore } from '../../directory/ranking.js';
import { allDepartementWords } from '../../directory/territories.js';
import type { Database, NewOrganisation } from '../schema.js';

// A directory filled by an earlier version gains what a first start now
// loads: the départements, régions and collectivités à statut particulier
// (directory/collectivites.ts), and the name of its département among each
// located organisation's place words (organisation-row.ts placeWordsOf). An
// empty directory is left to the seed, which loads it all.
const BATCH = 10_000;

// The search rank as this version lays it out (public body, size, SIREN):
// later migrations that change the layout find these rows like the others.
function searchRank(legalCategory: string, people: number, siren: string): number {
  return ((isPublicBody(legalCategory) ? 1 : 0) * 2 ** 20 + sizeScore(people)) * 2 ** 30 + Number(siren);
}

export async function up(db: Kysely<any>): Promise<void> {
  const directory = db as Kysely<Database>;
  const any = await directory.selectFrom('organisations').select('siren').limit(1).executeTakeFirst();
  if (!any) return;
  await appendDepartementNames(directory);
  await loadBodies(directory);
  await refreshSearchIndex(directory);
}

// Stored place words end with the département code; its name follows, as
// organisation-row.ts writes it. The directory in SIREN order, a batch at a
// time, so that neither database rewrites it in one statement; the staging of
// an interrupted import (resumed later) in one.
async function appendDepartementNames(db: Kysely<Database>): Promise<void> {
  const named = allDepartementWords().filter(([, words]) => words);
  const words = sql`CASE departement ${sql.join(
    named.map(([code, w]) => sql`WHEN ${code} THEN ${w}`),
    sql` `,
  )} END`;
  const located = sql`place_words <> '' AND departement IN (${sql.join(named.map(([code]) => code))})`;
  let after = '';
  for (;;) {
    const last = await db.selectFrom('organisations').select('siren').where('siren', '>', after).orderBy('siren').offset(BATCH - 1).limit(1).executeTakeFirst();
    await sql`
      UPDATE organisations SET place_words = place_words || ' ' || ${words}, search_text = search_text || ${words} || ' '
      WHERE siren > ${after} ${last ? sql`AND siren <= ${last.siren}` : sql``} AND ${located}`.execute(db);
    if (!last) break;
    after = last.siren;
  }
  await sql`UPDATE staging_head_offices SET place_words = place_words || ' ' || ${words} WHERE ${located}`.execute(db);
  await addSearchWords(
    db,
    named.flatMap(([, w]) => wordsOf(w)),
  );
}

// The shipped rows replace any earlier row of the same SIREN (the Ville de
// Paris was a commune, a Sirene import may have brought a département under
// its registered name), as a first start followed by an import would leave them.
async function loadBodies(db: Kysely<Database>): Promise<void> {
  const rows = loadCollectivites().map((r) => ({ ...r, search_rank: searchRank(r.legal_category, Number(r.population), r.siren) }));
  // The columns of this version of the schema, named: later versions add others.
  const columns = [
    'name',
    'kind',
    'legal_category',
    'town',
    'postcodes',
    'departement',
    'population',
    'name_key',
    'name_words',
    'place_words',
    'search_text',
    'search_rank',
    'source',
    'state',
    'diffusion',
  ] as const;
  await db
    .insertInto('organisations')
    .values(rows.map((r) => ({ siren: r.siren, ...Object.fromEntries(columns.map((c) => [c, r[c]])) }) as NewOrganisation))
    .onConflict((oc) => oc.column('siren').doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]))))
    .execute();
  await addSearchWords(
    db,
    rows.flatMap((r) => wordsOf(r.search_text)),
  );
}

// The added words cannot be told apart from words the rows had before.
export async function down(): Promise<void> {}
