import { sql, type Kysely } from 'kysely';
import type { Database, Organisation } from '../db/schema.js';
import { foldForSearch } from '../shared/text.js';
import { exactNames } from './designations.js';
import { PUBLIC_RANK_FLOOR } from './ranking.js';
import type { SearchFilters } from './search-filters.js';

// Organisations named exactly as searched, or whose acronym (sigle) is
// exactly what was searched, come before every other match: "OPAC" lists
// the OPAC before the hundreds of names holding the word.

/** Longer than this, a search is not an acronym: no look-up. */
const LONGEST_SIGLE = 12;

/** An acronym as compared: folded, without spaces or dots ("S.N.C.F." and "sncf" alike). */
export function sigleKey(sigle: string | null | undefined): string | null {
  const key = sigle ? foldForSearch(sigle).replaceAll(' ', '') : '';
  return key.length > 0 && key.length <= LONGEST_SIGLE ? key : null;
}

function exactOn(db: Kysely<Database>, column: 'name_key' | 'sigle_key', keys: string[], filters: SearchFilters, limit: number) {
  let query = db
    .selectFrom('organisations')
    .selectAll()
    .where(column, 'in', keys)
    .where('state', '=', 'A')
    .where('diffusion', '=', 'O');
  if (filters.departement) query = query.where('departement', '=', filters.departement);
  if (filters.publicOnly) query = query.where('search_rank', '>=', PUBLIC_RANK_FLOOR);
  return query.orderBy('search_rank', 'desc').limit(limit);
}

/**
 * Up to `limit` organisations named exactly `phrase`, or as the authority it
 * names (designations.ts), best ranked first; then
 * those whose acronym is the searched words (`words`, folded).
 */
export async function exactlyNamed(
  db: Kysely<Database>,
  phrase: string,
  words: string[],
  filters: SearchFilters,
  limit: number,
): Promise<Organisation[]> {
  const acronym = sigleKey(words.join(''));
  if (!acronym) return exactOn(db, 'name_key', exactNames(phrase), filters, limit).execute();
  // Both looked up in one statement: on PostgreSQL each statement is a round
  // trip, a parse and a plan, and most searches are short enough to be an acronym.
  const rows = await db
    .selectFrom(exactOn(db, 'name_key', exactNames(phrase), filters, limit).as('named'))
    .selectAll()
    .select(sql<number>`0`.as('tier'))
    .unionAll(db.selectFrom(exactOn(db, 'sigle_key', [acronym], filters, limit).as('by_sigle')).selectAll().select(sql<number>`1`.as('tier')))
    .execute();
  const [named, bySigle] = [0, 1].map((tier) =>
    rows
      .filter((r) => Number(r.tier) === tier)
      .map(({ tier: _, ...o }) => o as Organisation)
      .sort((a, b) => Number(b.search_rank) - Number(a.search_rank)),
  ) as [Organisation[], Organisation[]];
  const sirens = new Set(named.map((o) => o.siren));
  return [...named, ...bySigle.filter((o) => !sirens.has(o.siren))].slice(0, limit);
}
