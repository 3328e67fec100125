// One integer orders the directory for search: public bodies first, then
// larger organisations, then those with more open establishments, then by
// SIREN. It is the full-text index's row id on SQLite, so "best first" is a
// walk of the index in descending order that stops after a page, however
// many organisations match. The fields fill the 53 bits a JavaScript number
// holds exactly.
const SIREN_SPAN = 2 ** 30;
const ESTABLISHMENTS_SPAN = 2 ** 7;
const SIZE_SPAN = 2 ** 15;

/** log2 of a headcount or population, in thousandths: comparable across communes and companies. */
export function sizeScore(people: number): number {
  return Math.min(SIZE_SPAN - 1, Math.floor(Math.log2(Math.max(0, people) + 1) * 1000));
}

/**
 * Open establishments beyond the first, up to 127: what tells apart units of
 * the same size band (most units have one, and a headcount band is coarse).
 * Simple enough for an import to compute in SQL on both databases.
 */
export function establishmentsScore(openEstablishments: number): number {
  return Math.min(ESTABLISHMENTS_SPAN - 1, Math.max(0, openEstablishments - 1));
}

/** What one point of establishmentsScore adds to a search rank. */
export const ESTABLISHMENT_STEP = SIREN_SPAN;

/** The lowest search rank of a public body: "public bodies only" is a range of ranks. */
export const PUBLIC_RANK_FLOOR = SIZE_SPAN * ESTABLISHMENTS_SPAN * SIREN_SPAN;

export function searchRank(publicBody: boolean, people: number, siren: string, openEstablishments = 0): number {
  const size = (publicBody ? 1 : 0) * SIZE_SPAN + sizeScore(people);
  return (size * ESTABLISHMENTS_SPAN + establishmentsScore(openEstablishments)) * SIREN_SPAN + Number(siren);
}

// INSEE headcount bands (trancheEffectifsUniteLegale) → the band's lower bound.
const HEADCOUNT_BANDS: Record<string, number> = {
  '00': 0,
  '01': 1,
  '02': 3,
  '03': 6,
  '11': 10,
  '12': 20,
  '21': 50,
  '22': 100,
  '31': 200,
  '32': 250,
  '41': 500,
  '42': 1000,
  '51': 2000,
  '52': 5000,
  '53': 10000,
};

export function headcountOf(band: string): number {
  return HEADCOUNT_BANDS[band] ?? 0;
}

/** Legal categories of public bodies (INSEE category 7: legal persons of public law). */
export function isPublicBody(legalCategory: string): boolean {
  return legalCategory.startsWith('7');
}
