import type { Kysely } from 'kysely';
import type { Database, NewOrganisation, Organisation } from '../db/schema.js';

type Db = Kysely<Database>;

export async function countOrganisations(db: Db): Promise<number> {
  const row = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts organisations, leaving those already present untouched (several instances may seed at once). */
export async function insertOrganisations(db: Db, rows: NewOrganisation[], batchSize = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    await db
      .insertInto('organisations')
      .values(rows.slice(i, i + batchSize))
      .onConflict((oc) => oc.column('siren').doNothing())
      .execute();
  }
}

export function findOrganisation(db: Db, siren: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('siren', '=', siren).executeTakeFirst();
}

export interface WordSearch {
  words: string[];
  /** The folded query with abbreviations spelled out: a name equal to it, then a name starting with it, ranks first. */
  phrase: string;
  limit: number;
  offset: number;
}

/** Organisations whose indexed words start with every searched word: exact names first, then leading matches, then the largest. */
export async function searchByWords(db: Db, search: WordSearch): Promise<{ total: number; rows: Organisation[] }> {
  let query = db.selectFrom('organisations');
  for (const word of search.words) {
    query = query.where('search_text', 'like', `% ${word}%`);
  }
  const [countRow, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy((eb) =>
        eb
          .case()
          .when('name_key', '=', search.phrase)
          .then(0)
          .when('name_key', 'like', `${search.phrase} %`)
          .then(1)
          .else(2)
          .end(),
      )
      .orderBy('population', 'desc').orderBy('name').orderBy('siren').limit(search.limit).offset(search.offset).execute(),
  ]);
  return { total: Number(countRow.n), rows };
}
