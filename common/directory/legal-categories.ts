import nomenclature from './legal-categories.fr.json';

// The INSEE nomenclature of legal categories ("catégories juridiques"),
// levels I to III, with its source and date in the JSON file: 260 short
// labels, a few kilobytes.
const LEVEL_III: Readonly<Record<string, string>> = nomenclature.categories;
const LEVEL_II: Readonly<Record<string, string>> = nomenclature.level2;
const LEVEL_I: Readonly<Record<string, string>> = nomenclature.level1;

/**
 * The level III label of a legal category. A code the nomenclature does not
 * list (a newer one) is named by its broader heading and the code itself,
 * so that it is never shown as its number alone.
 */
export function legalCategoryLabel(code: string): string {
  const label = LEVEL_III[code];
  if (label) return label;
  const broader = LEVEL_II[code.slice(0, 2)] ?? LEVEL_I[code.slice(0, 1)];
  return broader ? `${broader} (catégorie ${code})` : `Catégorie ${code}`;
}

// Level I of the nomenclature, in the desk's words: the first digit of a legal category.
const FAMILIES: Record<string, string> = {
  '1': 'Entrepreneur individuel',
  '2': 'Groupement de droit privé',
  '3': 'Personne morale de droit étranger',
  '4': 'Personne morale de droit public soumise au droit commercial',
  '5': 'Société commerciale',
  '6': 'Autre personne morale immatriculée au RCS',
  '7': 'Personne morale de droit public',
  '8': 'Organisme privé spécialisé',
  '9': 'Groupement de droit privé',
};

/** A short description of what kind of organisation a legal category is. */
export function legalFamily(code: string): string {
  if (code.startsWith('92')) return 'Association';
  return FAMILIES[code.charAt(0)] ?? 'Organisme';
}
