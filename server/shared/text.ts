const ASCII = /^[\x20-\x7e]*$/;

// Unicode has no decomposition for the ligatures of French spelling, which
// people type as two letters: "crevecoeur" must find "Crèvecœur-en-Auge".
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae' };

/** Lowercase, accent-free, punctuation-free words: how names are matched in search. */
export function foldForSearch(input: string): string {
  // Most directory names are plain ASCII: the Unicode-aware path is only taken when needed (millions of rows at import).
  if (ASCII.test(input)) {
    return input
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return input
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[œæ]/g, (l) => LIGATURES[l]!)
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

// Most names have none of those words: testing first spares a million-row
// import the split and join.
const ABBREVIATED_WORD = new RegExp(`(?:^| )(?:${Object.keys(ABBREVIATIONS).join('|')})(?: |$)`);

/** Already folded words, followed by the usual abbreviations of those that have one. */
export function withAbbreviations(folded: string): string {
  if (!ABBREVIATED_WORD.test(folded)) return folded;
  const extra = folded
    .split(' ')
    .map((w) => ABBREVIATIONS[w])
    .filter((w): w is string => w !== undefined);
  return extra.length > 0 ? `${folded} ${extra.join(' ')}` : folded;
}

/** Folded words of some fields plus their usual abbreviations, space-separated. */
export function indexWords(parts: (string | null | undefined)[]): string {
  return withAbbreviations(foldForSearch(parts.filter(Boolean).join(' ')));
}

/** The indexed form of a record: its folded words plus their usual abbreviations, framed by spaces. */
export function searchText(parts: (string | null | undefined)[]): string {
  return ` ${indexWords(parts)} `;
}
