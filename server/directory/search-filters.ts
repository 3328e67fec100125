import { sql, type RawBuilder } from 'kysely';
import { foldForSearch } from '../shared/text.js';
import { PUBLIC_RANK_FLOOR } from './ranking.js';

/** What a word search may be narrowed to, besides its words. */
export interface SearchFilters {
  /** A département's code ("42", "2A", "974"): organisations located there. */
  departement: string | null;
  /** Collectivités and établissements publics only (INSEE category 7). */
  publicOnly: boolean;
}

export const NO_FILTERS: SearchFilters = { departement: null, publicOnly: false };

/**
 * Whole words every match must hold: a département's code is one of the place
 * words of every organisation located there, so the full-text index narrows
 * to it as fast as to any word. A name may hold the same word ("Club 42"):
 * the département itself is checked too (see sqliteFilter and postgresFilter).
 */
export function filterWords(filters: SearchFilters): string[] {
  return filters.departement ? [foldForSearch(filters.departement)] : [];
}

/**
 * On SQLite, what a query over organisations_fts adds: a join that checks
 * the département, and the range of row ids (search ranks) of public bodies,
 * which rank above all others.
 */
export function sqliteFilter(filters: SearchFilters): { join: RawBuilder<unknown>; where: RawBuilder<unknown> } {
  return {
    join: filters.departement
      ? sql`JOIN organisations AS filtered ON filtered.search_rank = organisations_fts.rowid AND filtered.departement = ${filters.departement}`
      : sql``,
    where: filters.publicOnly ? sql`AND organisations_fts.rowid >= ${PUBLIC_RANK_FLOOR}` : sql``,
  };
}

/** On PostgreSQL, the conditions on organisations a search adds. */
export function postgresFilter(filters: SearchFilters): RawBuilder<unknown> {
  return sql`${filters.departement ? sql`AND departement = ${filters.departement}` : sql``} ${
    filters.publicOnly ? sql`AND search_rank >= ${PUBLIC_RANK_FLOOR}` : sql``
  }`;
}
