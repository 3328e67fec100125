// French phone numbers as people type them: "01 23 45 67 89", "01.23.45.67.89",
// "+33 1 23 45 67 89", "0033 1 23 45 67 89", and overseas numbers with their
// own country codes (Réunion/Mayotte +262, Guadeloupe +590, Guyane +594,
// Martinique +596, Saint-Pierre-et-Miquelon +508, Wallis-et-Futuna +681,
// Nouvelle-Calédonie +687, Polynésie +689).
const OVERSEAS_NUMBER = /^\+(?:262|269|508|590|594|596|681|687|689)\d{6,9}$/;

/** Returns the number in international form (+33123456789), or null when it is not a French number. */
export function normalizeFrenchPhone(input: string): string | null {
  const compact = input.replace(/[\s.\-()]/g, '');
  if (/^0[1-9]\d{8}$/.test(compact)) return `+33${compact.slice(1)}`;
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (/^\+33[1-9]\d{8}$/.test(international)) return international;
  if (/^\+33 ?0[1-9]\d{8}$/.test(international)) return `+33${international.slice(4)}`;
  return OVERSEAS_NUMBER.test(international) ? international : null;
}

/** "+33123456789" → "01 23 45 67 89"; other numbers are shown as stored. */
export function formatFrenchPhone(normalized: string): string {
  if (/^\+33\d{9}$/.test(normalized)) {
    return `0${normalized.slice(3)}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  }
  return normalized;
}
