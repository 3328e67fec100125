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
