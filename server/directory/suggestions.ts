import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { countWordMatches } from './directory.repository.js';
import type { SearchFilters } from './search-filters.js';
import { wordsStartingWith } from './search-words.js';
import { FUZZY_PREFIX, isFuzzy, withoutOne } from './word-deletes.js';

// « Vouliez-vous dire : saint etienne ? » A search that finds nothing is
// offered the nearest words of the directory's own vocabulary, one or two
// typing mistakes away, found through the deletion index (word-deletes.ts):
// a typed word is looked up under its prefix with up to two letters dropped.
// Candidates are then checked with an edit distance, and the most used win.

/** Candidates checked per typed word, nearest first, for how often they are used. */
const CANDIDATES_PER_WORD = 4;
/** How often a candidate is used is counted up to this many organisations. */
const FREQUENCY_CAP = 500;
/** Combinations of corrected words tried, fewest edits first. */
const MAX_TRIES = 8;

/** How many edits a typed word may be from its correction: none under 3 letters, one up to 5, two from 6. */
export function allowedEdits(word: string): number {
  if (!isFuzzy(word)) return 0;
  const length = Array.from(word).length;
  return length <= 5 ? 1 : 2;
}

/** The keys a typed word is looked up under: its prefix less up to `edits` letters. */
function lookupKeys(word: string, edits: number): string[] {
  const keys = new Set([Array.from(word).slice(0, FUZZY_PREFIX).join('')]);
  let level = [...keys];
  for (let e = 0; e < edits; e++) {
    level = level.flatMap((k) => withoutOne(Array.from(k))).filter((k) => k.length > 0 && !keys.has(k));
    level = [...new Set(level)];
    for (const k of level) keys.add(k);
  }
  return [...keys];
}

/** Edits from a to b: letters added, removed or changed, and two neighbours swapped (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[s.length]![t.length]!;
}

interface Option {
  word: string;
  edits: number;
  /** Organisations holding the word, up to FREQUENCY_CAP. */
  uses: number;
}

/** Whole words of the vocabulary within the allowed edits of `typed`, nearest and most used first. */
async function corrections(db: Kysely<Database>, kind: DatabaseKind, typed: string, filters: SearchFilters): Promise<Option[]> {
  const edits = allowedEdits(typed);
  if (edits === 0) return [];
  const rows = await db
    .selectFrom('search_word_deletes')
    .select('word')
    .distinct()
    .where('key', 'in', lookupKeys(typed, edits))
    .execute();
  const near = rows
    .map((r) => ({ word: r.word, edits: editDistance(typed, r.word) }))
    .filter((c) => c.word !== typed && c.edits <= edits)
    .sort((a, b) => a.edits - b.edits || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, CANDIDATES_PER_WORD * 2);
  const options: Option[] = [];
  for (const c of near) {
    const uses = await countWordMatches(db, kind, [c.word], filters, FREQUENCY_CAP);
    if (uses > 0) options.push({ ...c, uses });
  }
  return options.sort((a, b) => a.edits - b.edits || b.uses - a.uses || (a.word < b.word ? -1 : 1)).slice(0, CANDIDATES_PER_WORD);
}

/** A typed word the search can use as it is: some word of the directory starts with it. */
async function known(db: Kysely<Database>, word: string): Promise<boolean> {
  const whole = await wordsStartingWith(db, word);
  if (whole) return whole.length > 0;
  const { rows } = await sql<{ word: string }>`SELECT word FROM search_words WHERE word >= ${word} ORDER BY word LIMIT 1`.execute(db);
  return rows[0]?.word.startsWith(word) ?? false;
}

/**
 * For a search of folded `words` that found nothing: the same words with the
 * fewest corrections (then the most used ones) that find something, or null.
 */
export async function suggestCorrection(
  db: Kysely<Database>,
  kind: DatabaseKind,
  words: string[],
  filters: SearchFilters,
): Promise<string | null> {
  const choices: Option[][] = [];
  for (const word of words) {
    const fixes = await corrections(db, kind, word, filters);
    const asTyped = (await known(db, word)) ? [{ word, edits: 0, uses: FREQUENCY_CAP + 1 }] : [];
    if (asTyped.length === 0 && fixes.length === 0) return null;
    choices.push([...asTyped, ...fixes]);
  }
  // Every combination, fewest edits first, then the most used corrections:
  // at most 8 words of at most 5 choices, and most words have only one.
  let combinations: Option[][] = [[]];
  for (const options of choices) {
    combinations = combinations.flatMap((c) => options.map((o) => [...c, o]));
    if (combinations.length > 4096) return null;
  }
  const edits = (c: Option[]): number => c.reduce((n, o) => n + o.edits, 0);
  const rarest = (c: Option[]): number => Math.min(...c.map((o) => o.uses));
  const tries = combinations
    .filter((c) => edits(c) > 0)
    .sort((a, b) => edits(a) - edits(b) || rarest(b) - rarest(a))
    .slice(0, MAX_TRIES);
  for (const c of tries) {
    const corrected = c.map((o) => o.word);
    if ((await countWordMatches(db, kind, corrected, filters, 1)) > 0) return corrected.join(' ');
  }
  return null;
}
