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

/** The indexed form of a record: its folded words plus their usual abbreviations, framed by spaces. */
export function searchText(parts: (string | null | undefined)[]): string {
  const words = foldForSearch(parts.filter(Boolean).join(' ')).split(' ').filter(Boolean);
  const extra = words.map((w) => ABBREVIATIONS[w]).filter((w): w is string => w !== undefined);
  return ` ${[...words, ...extra].join(' ')} `;
}
