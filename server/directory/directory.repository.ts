import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { Database, NewOrganisation, Organisation } from '../db/schema.js';
import { exactNames } from './designations.js';
import { addSearchWords, wordsOf, wordsStartingWith } from './search-words.js';

type Db = Kysely<Database>;

/** Totals are counted up to this many matches; beyond, the answer is "more than". */
export const COUNT_CAP = 1000;

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
  await addSearchWords(db, rows.flatMap((r) => wordsOf(r.search_text)));
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
}

export interface WordSearchResult {
  total: number;
  /** True when there are more than COUNT_CAP matches (total is then COUNT_CAP). */
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

async function wordMatches(db: Db, words: string[]): Promise<WordMatch[]> {
  return Promise.all(
    words.map(async (w) => {
      const whole = await wordsStartingWith(db, w);
      return whole ? { words: whole } : { prefix: w };
    }),
  );
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
}

/** The first `limit` matches, best first: the full-text index of each database does the work. */
async function matchingRanks(db: Db, kind: DatabaseKind, matches: WordMatch[], limit: number): Promise<Matches> {
  if (kind === 'sqlite') {
    const { rows } = await sql<{ rowid: number }>`
      SELECT rowid FROM organisations_fts WHERE organisations_fts MATCH ${ftsQuery(matches)} ORDER BY rowid DESC LIMIT ${limit}`.execute(db);
    return { ranks: rows.map((r) => Number(r.rowid)), rows: null };
  }
  const where = sql`search_vector @@ to_tsquery('simple', ${tsQuery(matches)}) AND state = ${SEARCHABLE.state} AND diffusion = ${SEARCHABLE.diffusion}`;
  if (limit <= ROWS_WITH_RANKS) {
    const { rows } = await sql<Organisation>`SELECT * FROM organisations WHERE ${where} ORDER BY search_rank DESC LIMIT ${limit}`.execute(db);
    return { ranks: rows.map((o) => Number(o.search_rank)), rows: new Map(rows.map((o) => [Number(o.search_rank), o])) };
  }
  const { rows } = await sql<{ search_rank: number }>`SELECT search_rank FROM organisations WHERE ${where} ORDER BY search_rank DESC LIMIT ${limit}`.execute(db);
  return { ranks: rows.map((r) => Number(r.search_rank)), rows: null };
}

async function countMatches(db: Db, kind: DatabaseKind, matches: WordMatch[]): Promise<number> {
  const capped = COUNT_CAP + 1;
  const { rows } =
    kind === 'sqlite'
      ? await sql<{ n: number }>`
          SELECT count(*) AS n FROM (SELECT rowid FROM organisations_fts WHERE organisations_fts MATCH ${ftsQuery(matches)} LIMIT ${capped})`.execute(db)
      : await sql<{ n: number }>`
          SELECT count(*) AS n FROM (
            SELECT 1 FROM organisations
            WHERE search_vector @@ to_tsquery('simple', ${tsQuery(matches)}) AND state = ${SEARCHABLE.state} AND diffusion = ${SEARCHABLE.diffusion}
            LIMIT ${capped}) AS m`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Organisations whose words start with every searched word. Order: an
 * organisation named exactly as searched first, then public bodies, then the
 * largest; the same on SQLite and PostgreSQL.
 */
export async function searchByWords(db: Db, kind: DatabaseKind, search: WordSearch): Promise<WordSearchResult> {
  const matches = await wordMatches(db, search.words);
  if (matches.some((m) => 'words' in m && m.words.length === 0)) return { total: 0, capped: false, rows: [] };
  const exact = await db
    .selectFrom('organisations')
    .selectAll()
    .where('name_key', 'in', exactNames(search.phrase))
    .where('state', '=', SEARCHABLE.state)
    .where('diffusion', '=', SEARCHABLE.diffusion)
    .orderBy('search_rank', 'desc')
    .limit(EXACT_TIER_SIZE)
    .execute();
  // An exactly named organisation also matches the words: it is listed once,
  // in front. The page's share of the other matches is cut from the ranks of
  // every match up to the page's end (at most COUNT_CAP-odd integers).
  const exactRanks = new Set(exact.map((o) => Number(o.search_rank)));
  const fromExact = exact.slice(search.offset, search.offset + search.limit);
  const restOffset = Math.max(0, search.offset - exact.length);
  const restLimit = search.limit - fromExact.length;
  const wanted = restLimit > 0 ? restOffset + restLimit + exactRanks.size : 0;
  const { ranks, rows } = wanted > 0 ? await matchingRanks(db, kind, matches, wanted) : { ranks: [], rows: null };
  // Fewer matches than asked for are all there is: counting them again would
  // double the work of most precise searches.
  const count = wanted > 0 && ranks.length < wanted ? ranks.length : await countMatches(db, kind, matches);
  const restRanks = ranks.filter((r) => !exactRanks.has(r)).slice(restOffset, restOffset + restLimit);
  const rest = rows
    ? restRanks.map((r) => rows.get(r)!)
    : restRanks.length > 0
      ? await db.selectFrom('organisations').selectAll().where('search_rank', 'in', restRanks).orderBy('search_rank', 'desc').execute()
      : [];
  return { total: Math.min(count, COUNT_CAP), capped: count > COUNT_CAP, rows: [...fromExact, ...rest] };
}
