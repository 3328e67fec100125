import { createRequire } from 'node:module';
import { indexWords } from '../shared/text.js';

// The départements and régions of the Code officiel géographique, as
// @etalab/decoupage-administratif ships them (read directly, as in
// public-bodies.ts).
const requireData = createRequire(import.meta.url);

interface Territory {
  code: string;
  nom: string;
  region?: string;
}

let departements: Map<string, Territory> | undefined;
let regions: Map<string, Territory> | undefined;

function byCode(file: string): Map<string, Territory> {
  const rows: Territory[] = requireData(`@etalab/decoupage-administratif/data/${file}`);
  return new Map(rows.map((t) => [t.code, t]));
}

function departementsByCode(): Map<string, Territory> {
  return (departements ??= byCode('departements.json'));
}

export function departementName(code: string): string | undefined {
  return departementsByCode().get(code)?.nom;
}

export function regionName(code: string): string | undefined {
  return (regions ??= byCode('regions.json')).get(code)?.nom;
}

export function regionOfDepartement(code: string): string | undefined {
  return departementsByCode().get(code)?.region;
}

const wordsCache = new Map<string, string>();

/**
 * The searchable words of a département's name ("loire", "seine saint denis
 * st"), '' for an unknown code. Every located organisation carries them after
 * its other place words, so that "saint-étienne loire" finds Saint-Étienne.
 */
export function departementWords(code: string | null): string {
  if (!code) return '';
  let words = wordsCache.get(code);
  if (words === undefined) {
    words = indexWords([departementName(code)]);
    wordsCache.set(code, words);
  }
  return words;
}

/** Every département code of the COG with its searchable words (for bringing stored rows up to date). */
export function allDepartementWords(): [code: string, words: string][] {
  return [...departementsByCode().keys()].map((code) => [code, departementWords(code)]);
}
