import { legalFamily } from '../../../common/directory/legal-categories.js';
import { isValidSiren, isValidSiret } from '../../../common/identifiers/siren.js';
import type { StagingHeadOfficesTable, StagingUnitsTable } from '../../db/schema.js';
import { foldForSearch, indexWords, withAbbreviations } from '../../shared/text.js';
import { placeWordsOf } from '../organisation-row.js';
import { sigleKey } from '../exact-tier.js';
import { headcountOf, isPublicBody, searchRank } from '../ranking.js';

// INSEE's Sirene stock and update files, as published (CSV, one header line,
// columns named as below). Only the columns Guichet uses are read.
export type FileKind = 'units' | 'establishments';

/** A CSV record, its values in the order of the file's header. */
export type Cells = string[];

/** Maps a file's records to staged rows. */
export type RecordMapper<T> = (cells: Cells) => T;

type Column = (cells: Cells) => string;

/**
 * A reader for each of some columns of a file, by name; a column the file
 * lacks reads ''. Positions are looked up once per file, not once per row.
 */
function columnsOf<K extends string>(header: string[], names: Record<K, string>): Record<K, Column> {
  const read = (i: number): Column => (i < 0 ? () => '' : (cells) => (cells[i] ?? '').trim());
  return Object.fromEntries(Object.entries<string>(names).map(([key, name]) => [key, read(header.indexOf(name))])) as Record<K, Column>;
}

export function fileKindOf(header: string[]): FileKind | null {
  if (header.includes('siren') && header.includes('categorieJuridiqueUniteLegale')) return 'units';
  if (header.includes('siret') && header.includes('etablissementSiege')) return 'establishments';
  return null;
}

export type Rejection = { rejected: string };

/** The staging tables' columns, in the order staged rows travel in. */
export const UNIT_COLUMNS = [
  'siren',
  'name',
  'kind',
  'sigle',
  'legal_category',
  'activity',
  'state',
  'diffusion',
  'headcount',
  'name_key',
  'name_words',
  'search_rank',
  'updated_at',
  'closed_on',
  'sigle_key',
] as const satisfies readonly (keyof StagingUnitsTable)[];

/** Appends a staged unit's values, in UNIT_COLUMNS order. */
export function pushUnit(into: unknown[], u: StagingUnitsTable): void {
  into.push(
    u.siren,
    u.name,
    u.kind,
    u.sigle,
    u.legal_category,
    u.activity,
    u.state,
    u.diffusion,
    u.headcount,
    u.name_key,
    u.name_words,
    u.search_rank,
    u.updated_at,
    u.closed_on,
    u.sigle_key,
  );
}

export const HEAD_OFFICE_COLUMNS = [
  'siren',
  'siret',
  'address',
  'town',
  'postcode',
  'departement',
  'place_words',
  'diffusion',
] as const satisfies readonly (keyof StagingHeadOfficesTable)[];

/** Appends a staged head office's values, in HEAD_OFFICE_COLUMNS order. */
export function pushHeadOffice(into: unknown[], h: StagingHeadOfficesTable): void {
  into.push(h.siren, h.siret, h.address, h.town, h.postcode, h.departement, h.place_words, h.diffusion);
}

/** Maps the records of a StockUniteLegale file, given its header, to staged units. */
export function unitMapper(header: string[]): RecordMapper<StagingUnitsTable | Rejection> {
  const c = columnsOf(header, {
    siren: 'siren',
    legalCategory: 'categorieJuridiqueUniteLegale',
    diffusion: 'statutDiffusionUniteLegale',
    denomination: 'denominationUniteLegale',
    usualDenomination: 'denominationUsuelle1UniteLegale',
    usualDenomination2: 'denominationUsuelle2UniteLegale',
    usualDenomination3: 'denominationUsuelle3UniteLegale',
    usualFirstName: 'prenomUsuelUniteLegale',
    firstName: 'prenom1UniteLegale',
    usedLastName: 'nomUsageUniteLegale',
    lastName: 'nomUniteLegale',
    state: 'etatAdministratifUniteLegale',
    sigle: 'sigleUniteLegale',
    headcountBand: 'trancheEffectifsUniteLegale',
    activity: 'activitePrincipaleUniteLegale',
    updatedAt: 'dateDernierTraitementUniteLegale',
    periodStart: 'dateDebut',
  });
  const unitName = (cells: Cells): string => {
    const denomination = c.denomination(cells) || c.usualDenomination(cells);
    if (denomination) return denomination;
    const first = c.usualFirstName(cells) || c.firstName(cells);
    const last = c.usedLastName(cells) || c.lastName(cells);
    return first && last ? `${first} ${last}` : first || last;
  };
  // The names a unit goes by besides its registered one ("CS MONTREYNAUD"):
  // searched like its name, never shown.
  const usualNames = (cells: Cells, nameKey: string): string[] =>
    [c.usualDenomination(cells), c.usualDenomination2(cells), c.usualDenomination3(cells)].filter((n) => n && foldForSearch(n) !== nameKey);
  const map = (cells: Cells): StagingUnitsTable | Rejection => {
    const siren = c.siren(cells);
    if (!isValidSiren(siren)) return { rejected: 'SIREN absent ou invalide' };
    const legalCategory = c.legalCategory(cells);
    if (!/^\d{4}$/.test(legalCategory)) return { rejected: 'catégorie juridique absente ou invalide' };
    const diffusion = c.diffusion(cells) === 'O' ? 'O' : 'P';
    const name = unitName(cells);
    if (!name && diffusion === 'O') return { rejected: 'dénomination absente' };
    const state = c.state(cells) === 'C' ? 'C' : 'A';
    // The current period of a ceased unit starts the day it closed.
    const periodStart = c.periodStart(cells);
    const closedOn = state === 'C' && /^\d{4}-\d{2}-\d{2}$/.test(periodStart) ? periodStart : null;
    const sigle = c.sigle(cells) || null;
    const headcount = headcountOf(c.headcountBand(cells));
    const nameKey = foldForSearch(name);
    return {
      siren,
      name: name || 'Organisme non diffusible',
      kind: legalFamily(legalCategory),
      sigle,
      legal_category: legalCategory,
      activity: c.activity(cells) || null,
      state,
      diffusion,
      headcount,
      name_key: nameKey,
      name_words: diffusion === 'O' ? nameWords(nameKey, [sigle, ...usualNames(cells, nameKey)]) : '',
      search_rank: searchRank(isPublicBody(legalCategory), headcount, siren),
      updated_at: c.updatedAt(cells) || null,
      closed_on: closedOn,
      sigle_key: sigleKey(sigle),
    };
  };
  return map;
}

/** A unit's folded name followed by the folded words of its other names (sigle, usual names), with their abbreviations. */
function nameWords(nameKey: string, others: (string | null)[]): string {
  const extra = others.filter(Boolean).join(' ');
  return withAbbreviations(extra ? `${nameKey} ${foldForSearch(extra)}` : nameKey);
}

/** The département of a commune's INSEE code: 2 characters, 3 overseas (971…976). */
export function departementOfCommune(code: string): string | null {
  if (!/^[0-9][0-9AB]\d{3}$/.test(code)) return null;
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

// Towns repeat across millions of establishments: their folded words are
// computed once per (commune code, postcode). The key is made of those two
// short codes on purpose: V8 keeps a long substring as a slice of the whole
// parsed chunk, so a key holding a town name would keep megabytes alive.
const placeWordsCache = new Map<string, string>();
const PLACE_CACHE_LIMIT = 100_000;

function placeWords(communeCode: string, town: string | null, postcode: string | null, departement: string | null): string {
  const key = `${communeCode}|${postcode}`;
  let words = placeWordsCache.get(key);
  if (words === undefined) {
    words = placeWordsOf(indexWords([town, postcode, departement]), departement);
    if (placeWordsCache.size >= PLACE_CACHE_LIMIT) placeWordsCache.clear();
    placeWordsCache.set(key, words);
  }
  return words;
}

/**
 * Maps the records of a StockEtablissement file, given its header: head
 * offices only, as they give a unit its address, town and postcode; other
 * establishments map to null.
 */
export function headOfficeMapper(header: string[]): RecordMapper<StagingHeadOfficesTable | Rejection | null> {
  const c = columnsOf(header, {
    headOffice: 'etablissementSiege',
    siren: 'siren',
    siret: 'siret',
    diffusion: 'statutDiffusionEtablissement',
    town: 'libelleCommuneEtablissement',
    postcode: 'codePostalEtablissement',
    communeCode: 'codeCommuneEtablissement',
    streetNumber: 'numeroVoieEtablissement',
    repetition: 'indiceRepetitionEtablissement',
    streetType: 'typeVoieEtablissement',
    streetName: 'libelleVoieEtablissement',
  });
  const map = (cells: Cells): StagingHeadOfficesTable | Rejection | null => {
    if (c.headOffice(cells) !== 'true') return null;
    const siren = c.siren(cells);
    const siret = c.siret(cells);
    if (!isValidSiren(siren)) return { rejected: 'SIREN absent ou invalide' };
    if (!isValidSiret(siret) || !siret.startsWith(siren)) return { rejected: 'SIRET absent ou invalide' };
    const diffusion = c.diffusion(cells) === 'O' ? 'O' : 'P';
    if (diffusion !== 'O') {
      return { siren, siret, address: null, town: null, postcode: null, departement: null, place_words: '', diffusion };
    }
    const town = c.town(cells) || null;
    const postcode = c.postcode(cells) || null;
    const communeCode = c.communeCode(cells);
    const departement = departementOfCommune(communeCode);
    const address =
      [c.streetNumber(cells), c.repetition(cells), c.streetType(cells), c.streetName(cells)].filter(Boolean).join(' ') || null;
    return { siren, siret, address, town, postcode, departement, place_words: placeWords(communeCode, town, postcode, departement), diffusion };
  };
  return map;
}
