import type { Kysely } from 'kysely';
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
  return query.orderBy('search_rank', 'desc').limit(limit).execute();
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
  const named = await exactOn(db, 'name_key', exactNames(phrase), filters, limit);
  const acronym = sigleKey(words.join(''));
  if (!acronym || named.length >= limit) return named;
  const sirens = new Set(named.map((o) => o.siren));
  const bySigle = await exactOn(db, 'sigle_key', [acronym], filters, limit);
  return [...named, ...bySigle.filter((o) => !sirens.has(o.siren))].slice(0, limit);
}
