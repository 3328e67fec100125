/** Lowercase, accent-free, punctuation-free words: how names are matched in search. */
export function foldForSearch(input: string): string {
  return input
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// How people abbreviate the words that start thousands of French place names.
const ABBREVIATIONS: Record<string, string> = { saint: 'st', sainte: 'ste', saints: 'sts', saintes: 'stes' };

const EXPANSIONS = Object.fromEntries(Object.entries(ABBREVIATIONS).map(([full, short]) => [short, full]));

/** A folded query with abbreviations spelled out ("st etienne" → "saint etienne"), to compare with folded names. */
export function expandAbbreviations(folded: string): string {
  return folded
    .split(' ')
    .map((w) => EXPANSIONS[w] ?? w)
    .join(' ');
}

/** Folded words of some fields plus their usual abbreviations, space-separated. */
export function indexWords(parts: (string | null | undefined)[]): string {
  const words = foldForSearch(parts.filter(Boolean).join(' ')).split(' ').filter(Boolean);
  const extra = words.map((w) => ABBREVIATIONS[w]).filter((w): w is string => w !== undefined);
  return [...words, ...extra].join(' ');
}

/** The indexed form of a record: its folded words plus their usual abbreviations, framed by spaces. */
export function searchText(parts: (string | null | undefined)[]): string {
  return ` ${indexWords(parts)} `;
}
