import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

// Every distinct word of the directory's search text. A searched word longer
// than the full-text index's longest stored prefix is looked up here first and
// searched as the few whole words it starts: a prefix query would make SQLite
// (and PostgreSQL) gather every row of every such word before returning the
// first page ("association" over a million units: 17 ms as a prefix, 0.3 ms
// as its one word).

/** The longest prefix the SQLite full-text index keeps (prefix='2 3 4'): shorter searched words use it. */
export const LONGEST_INDEXED_PREFIX = 4;

/** Beyond this many words, a prefix is searched as a prefix. */
export const MAX_EXPANSION = 64;

const INSERT_BATCH = 500;

export function wordsOf(searchText: string): string[] {
  return searchText.split(' ').filter(Boolean);
}

export async function addSearchWords(db: Kysely<Database>, words: Iterable<string>): Promise<void> {
  const unique = [...new Set(words)];
  for (let i = 0; i < unique.length; i += INSERT_BATCH) {
    await db
      .insertInto('search_words')
      .values(unique.slice(i, i + INSERT_BATCH).map((word) => ({ word })))
      .onConflict((oc) => oc.column('word').doNothing())
      .execute();
  }
}

/** The smallest string greater than every string that starts with `prefix`. */
function prefixEnd(prefix: string): string {
  const chars = Array.from(prefix);
  const last = chars.pop()!.codePointAt(0)!;
  return chars.join('') + String.fromCodePoint(last + 1);
}

/**
 * The words of the directory that start with `prefix`, when there are at most
 * MAX_EXPANSION of them; null when the prefix is short or common enough to be
 * searched as a prefix. A single letter stands for itself ("à" in
 * "Saint-Étienne-à-Arnes"): no index keeps one-letter prefixes, and as a
 * prefix it would gather a large part of the directory.
 */
export async function wordsStartingWith(db: Kysely<Database>, prefix: string): Promise<string[] | null> {
  if (Array.from(prefix).length === 1) return [prefix];
  if (prefix.length <= LONGEST_INDEXED_PREFIX) return null;
  const { rows } = await sql<{ word: string }>`
    SELECT word FROM search_words WHERE word >= ${prefix} AND word < ${prefixEnd(prefix)} ORDER BY word LIMIT ${MAX_EXPANSION + 1}`.execute(db);
  return rows.length > MAX_EXPANSION ? null : rows.map((r) => r.word);
}

/**
 * Remembers the words already staged by one import, so that each is written
 * once or a few times rather than once per row. Bounded: past `limit` words it
 * starts afresh (a word staged twice is merged once).
 */
export class NewWords {
  private seen = new Set<string>();

  constructor(private readonly limit = 200_000) {}

  /** The words of `text` not seen yet. */
  take(text: string, into: string[]): void {
    for (const word of wordsOf(text)) {
      if (this.seen.has(word)) continue;
      if (this.seen.size >= this.limit) this.seen = new Set();
      this.seen.add(word);
      into.push(word);
    }
  }
}
