import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { Database, NewOrganisation, Organisation } from '../db/schema.js';
import { exactlyNamed } from './exact-tier.js';
import { filterWords, NO_FILTERS, postgresFilter, sqliteFilter, type SearchFilters } from './search-filters.js';
import { addSearchWords, wordsOf, wordsStartingWith } from './search-words.js';
import { addWordDeletes } from './word-deletes.js';

type Db = Kysely<Database>;

/**
 * Totals are counted up to this many pages beyond the page asked for, and
 * never past COUNT_CAP; beyond, the answer is "more than". Counting walks the
 * matches: a count that stops a page ahead costs what those pages cost,
 * however large the directory. A town's matches and a word's grow with it,
 * their common ones too: a count to 1 000, or 100, walked the whole of both
 * for most town + name searches, ×3.2 from 1 M to 5 M units.
 */
const PAGES_COUNTED = 2;
const COUNT_CAP = 1000;

/** How far a search's total is counted, from its page. */
export function countCap(offset: number, limit: number): number {
  return Math.min(COUNT_CAP, offset + PAGES_COUNTED * limit);
}

export async function countOrganisations(db: Db): Promise<number> {
  const row = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Inserts organisations, leaving those already present untouched (several
 * instances may seed at once); answers how many were new, which tells a
 * caller racing another for the same SIREN whether it won.
 */
export async function insertOrganisations(db: Db, rows: NewOrganisation[], batchSize = 500): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += batchSize) {
    const [result] = await db
      .insertInto('organisations')
      .values(rows.slice(i, i + batchSize))
      .onConflict((oc) => oc.column('siren').doNothing())
      .execute();
    inserted += Number(result?.numInsertedOrUpdatedRows ?? 0);
  }
  const words = rows.flatMap((r) => wordsOf(r.search_text));
  await addSearchWords(db, words);
  await addWordDeletes(db, words);
  return inserted;
}

/**
 * After a bulk change of the directory on PostgreSQL: rows inserted in bulk
 * wait in the GIN index's pending list, which every search then scans whole
 * (measured: 15 ms instead of 0.1 ms for one word over the 36 000 public
 * bodies), and the planner, without fresh statistics, scans the table instead
 * of using the index. SQLite's FTS5 index needs neither.
 */
export async function refreshSearchIndex(db: Db): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`SELECT gin_clean_pending_list('organisations_search_vector'::regclass)`.execute(db);
  await sql`ANALYZE organisations`.execute(db);
}

export function findOrganisation(db: Db, siren: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('siren', '=', siren).executeTakeFirst();
}

export interface WordSearch {
  /** Folded words; each must start a word of the organisation's name or place. */
  words: string[];
  /** The folded query with abbreviations spelled out: organisations of exactly this name come first. */
  phrase: string;
  limit: number;
  offset: number;
  filters?: SearchFilters;
}

export interface WordSearchResult {
  total: number;
  /** True when there are more matches than counted (total is then countCap of the page). */
  capped: boolean;
  rows: Organisation[];
}

const SEARCHABLE = { state: 'A', diffusion: 'O' } as const;
const EXACT_TIER_SIZE = 20;

/**
 * What each searched word matches: the few whole words it starts (see
 * search-words.ts), or a prefix. An empty list: no word of the directory
 * starts so, nothing can match.
 */
type WordMatch = { words: string[] } | { prefix: string };

async function wordMatches(db: Db, words: string[], filters: SearchFilters): Promise<WordMatch[]> {
  const matches: WordMatch[] = await Promise.all(
    words.map(async (w) => {
      const whole = await wordsStartingWith(db, w);
      return whole ? { words: whole } : { prefix: w };
    }),
  );
  return [...matches, ...filterWords(filters).map((w) => ({ words: [w] }))];
}

function ftsQuery(matches: WordMatch[]): string {
  return matches.map((m) => ('prefix' in m ? `"${m.prefix}"*` : `(${m.words.map((w) => `"${w}"`).join(' OR ')})`)).join(' AND ');
}

function tsQuery(matches: WordMatch[]): string {
  return matches.map((m) => ('prefix' in m ? `${m.prefix}:*` : `(${m.words.join(' | ')})`)).join(' & ');
}

// PostgreSQL reads the matching rows with their ranks when there are this
// few: the first pages, which nearly every search is. A round trip saved.
const ROWS_WITH_RANKS = 50;

interface Matches {
  /** search_rank of the matches, best first. */
  ranks: number[];
  /** The matching rows by search_rank, when read in the same query. */
  rows: Map<number, Organisation> | null;
  /** The matches counted up to the cap + 1, when counted in the same query. */
  count: number | null;
}

/** The first `limit` matches, best first: the full-text index of each database does the work. */
async function matchingRanks(db: Db, kind: DatabaseKind, matches: WordMatch[], limit: number, filters: SearchFilters, cap: number): Promise<Matches> {
  if (kind === 'sqlite') {
    // One walk of the index gives the page and the count: the ranks past the
    // page, up to the cap, are integers read on the way.
    const filter = sqliteFilter(filters);
    const { rows } = await sql<{ rowid: number }>`
      SELECT organisations_fts.rowid FROM organisations_fts ${filter.join}
      WHERE organisations_fts MATCH ${ftsQuery(matches)} ${filter.where} ORDER BY organisations_fts.rowid DESC LIMIT ${Math.max(limit, cap + 1)}`.execute(db);
    return { ranks: rows.slice(0, limit).map((r) => Number(r.rowid)), rows: null, count: rows.length };
  }
  const where = sql`search_vector @@ to_tsquery('simple', ${tsQuery(matches)}) AND state = ${SEARCHABLE.state} AND diffusion = ${SEARCHABLE.diffusion} ${postgresFilter(filters)}`;
  if (limit <= ROWS_WITH_RANKS) {
    // The count comes with the page: a full page needs it, and each statement
    // costs PostgreSQL a round trip, a parse and a plan (4.7 statements per
    // search under load, most of its CPU). The subquery is only run when the
    // CASE reaches it.
    const { rows } = await sql<Organisation & { match_count: number | null }>`
      SELECT page.*, CASE WHEN count(*) OVER () < ${limit} THEN NULL
        ELSE (SELECT count(*) FROM (SELECT 1 FROM organisations WHERE ${where} LIMIT ${cap + 1}) AS counted) END AS match_count
      FROM (SELECT * FROM organisations WHERE ${where} ORDER BY search_rank DESC LIMIT ${limit}) AS page
      ORDER BY page.search_rank DESC`.execute(db);
    const organisations = rows.map(({ match_count: _, ...o }) => o as Organisation);
    return {
      ranks: organisations.map((o) => Number(o.search_rank)),
      rows: new Map(organisations.map((o) => [Number(o.search_rank), o])),
      count: rows[0]?.match_count ?? null,
    };
  }
  const { rows } = await sql<{ search_rank: number }>`SELECT search_rank FROM organisations WHERE ${where} ORDER BY search_rank DESC LIMIT ${limit}`.execute(db);
  return { ranks: rows.map((r) => Number(r.search_rank)), rows: null, count: null };
}

async function countMatches(db: Db, kind: DatabaseKind, matches: WordMatch[], filters: SearchFilters, cap: number): Promise<number> {
  const filter = sqliteFilter(filters);
  const { rows } =
    kind === 'sqlite'
      ? await sql<{ n: number }>`
          SELECT count(*) AS n FROM (
            SELECT organisations_fts.rowid FROM organisations_fts ${filter.join}
            WHERE organisations_fts MATCH ${ftsQuery(matches)} ${filter.where} LIMIT ${cap})`.execute(db)
      : await sql<{ n: number }>`
          SELECT count(*) AS n FROM (
            SELECT 1 FROM organisations
            WHERE search_vector @@ to_tsquery('simple', ${tsQuery(matches)}) AND state = ${SEARCHABLE.state} AND diffusion = ${SEARCHABLE.diffusion}
              ${postgresFilter(filters)}
            LIMIT ${cap}) AS m`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * How many organisations match the words, counted up to `cap`: what tells a
 * correction that finds something (suggestions.ts), and how often a word is used.
 */
export async function countWordMatches(db: Db, kind: DatabaseKind, words: string[], filters: SearchFilters, cap: number): Promise<number> {
  const matches = await wordMatches(db, words, filters);
  if (matches.some((m) => 'words' in m && m.words.length === 0)) return 0;
  return countMatches(db, kind, matches, filters, cap);
}

/**
 * Organisations whose words start with every searched word. Order: an
 * organisation named exactly as searched first, then one whose acronym was
 * searched, then by search_rank (public bodies, the largest, the most open
 * establishments); the same on SQLite and PostgreSQL.
 */
export async function searchByWords(db: Db, kind: DatabaseKind, search: WordSearch): Promise<WordSearchResult> {
  const filters = search.filters ?? NO_FILTERS;
  const matches = await wordMatches(db, search.words, filters);
  if (matches.some((m) => 'words' in m && m.words.length === 0)) return { total: 0, capped: false, rows: [] };
  const exact = await exactlyNamed(db, search.phrase, search.words, filters, EXACT_TIER_SIZE);
  // An exactly named organisation also matches the words: it is listed once,
  // in front. The page's share of the other matches is cut from the ranks of
  // every match up to the page's end (at most COUNT_CAP-odd integers).
  const cap = countCap(search.offset, search.limit);
  const exactRanks = new Set(exact.map((o) => Number(o.search_rank)));
  const fromExact = exact.slice(search.offset, search.offset + search.limit);
  const restOffset = Math.max(0, search.offset - exact.length);
  const restLimit = search.limit - fromExact.length;
  const wanted = restLimit > 0 ? restOffset + restLimit + exactRanks.size : 0;
  const { ranks, rows, count: counted } = wanted > 0 ? await matchingRanks(db, kind, matches, wanted, filters, cap) : { ranks: [], rows: null, count: null };
  // Fewer matches than asked for are all there is: counting them again would
  // double the work of most precise searches.
  const count = wanted > 0 && ranks.length < wanted ? ranks.length : (counted ?? (await countMatches(db, kind, matches, filters, cap + 1)));
  const restRanks = ranks.filter((r) => !exactRanks.has(r)).slice(restOffset, restOffset + restLimit);
  const rest = rows
    ? restRanks.map((r) => rows.get(r)!)
    : restRanks.length > 0
      ? await db.selectFrom('organisations').selectAll().where('search_rank', 'in', restRanks).orderBy('search_rank', 'desc').execute()
      : [];
  return { total: Math.min(count, cap), capped: count > cap, rows: [...fromExact, ...rest] };
}
