// INSEE legal categories (nomenclature "catégories juridiques", level III) that
// Guichet names. Codes not listed here are shown by their number.
export const LEGAL_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  '7210': 'Commune et commune nouvelle',
  '7220': 'Département',
  '7225': "Collectivité et territoire d'Outre-Mer",
  '7229': '(Autre) Collectivité territoriale',
  '7230': 'Région',
  '7343': 'Communauté urbaine',
  '7344': 'Métropole',
  '7346': 'Communauté de communes',
  '7348': "Communauté d'agglomération",
  '7353': 'Syndicat intercommunal à vocation unique (SIVU)',
  '7354': 'Syndicat mixte fermé',
  '7355': 'Syndicat mixte ouvert',
  '7361': "Centre communal d'action sociale",
  '7371': "Office public d'habitation à loyer modéré (OPHLM)",
};

export function legalCategoryLabel(code: string): string {
  return LEGAL_CATEGORY_LABELS[code] ?? `Catégorie juridique ${code}`;
}

// Level I of the nomenclature: the first digit of a legal category.
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
