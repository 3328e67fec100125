import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { Database } from '../db/schema.js';

// The deletion index of the directory's vocabulary (search_words), for
// suggestions.ts: each word is filed under its first FUZZY_PREFIX letters and
// under each way of dropping one of them, in a plain table that SQLite and
// PostgreSQL use alike. Two words one edit apart (a letter missing, added,
// changed, or two swapped) share a key, and so do most words two edits apart
// once the typed word drops up to two letters. Words with digits (postcodes,
// numbers) and words under 3 letters are not filed: they are not corrected.

/** Only a word's first letters are filed: enough to tell words apart, at most 8 keys a word. */
export const FUZZY_PREFIX = 7;
const SHORTEST_FUZZY_WORD = 3;
const INSERT_BATCH = 500;

export function isFuzzy(word: string): boolean {
  return !/[0-9]/.test(word) && Array.from(word).length >= SHORTEST_FUZZY_WORD;
}

/** Each way of dropping one letter. */
export function withoutOne(chars: string[]): string[] {
  return chars.map((_, i) => [...chars.slice(0, i), ...chars.slice(i + 1)].join(''));
}

/** The keys a word of the vocabulary is filed under: its prefix, and the prefix less any one letter. */
export function deletionKeys(word: string): string[] {
  if (!isFuzzy(word)) return [];
  const prefix = Array.from(word).slice(0, FUZZY_PREFIX);
  return [...new Set([prefix.join(''), ...withoutOne(prefix)])];
}

/** Files words of the vocabulary in the deletion index. */
export async function addWordDeletes(db: Kysely<Database>, words: Iterable<string>): Promise<void> {
  const rows = [...new Set(words)].flatMap((word) => deletionKeys(word).map((key) => ({ key, word })));
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db
      .insertInto('search_word_deletes')
      .values(rows.slice(i, i + INSERT_BATCH))
      .onConflict((oc) => oc.columns(['key', 'word']).doNothing())
      .execute();
  }
}

/**
 * Files the words an import staged, in SQL: deletionKeys' rule, letter by
 * letter with substr, which counts characters on both databases.
 */
export async function addStagedWordDeletes(db: Kysely<Database>, kind: DatabaseKind): Promise<void> {
  const positions = sql.join(
    Array.from({ length: FUZZY_PREFIX }, (_, i) => sql`SELECT ${sql.lit(i + 1)} AS i`),
    sql` UNION ALL `,
  );
  const fuzzy = kind === 'sqlite' ? sql`word NOT GLOB '*[0-9]*'` : sql`word !~ '[0-9]'`;
  const prefix = sql`substr(word, 1, ${sql.lit(FUZZY_PREFIX)})`;
  await sql`
    INSERT INTO search_word_deletes (key, word)
    SELECT DISTINCT key, word FROM (
      SELECT ${prefix} AS key, word FROM staging_words
      WHERE length(word) >= ${sql.lit(SHORTEST_FUZZY_WORD)} AND ${fuzzy}
      UNION ALL
      SELECT substr(${prefix}, 1, p.i - 1) || substr(${prefix}, p.i + 1) AS key, word
      FROM staging_words, (${positions}) AS p
      WHERE length(word) >= ${sql.lit(SHORTEST_FUZZY_WORD)} AND ${fuzzy} AND p.i <= length(word)
    ) AS deletes
    WHERE true
    ON CONFLICT (key, word) DO NOTHING`.execute(db);
}
