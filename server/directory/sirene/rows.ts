import { legalFamily } from '../../../common/directory/legal-categories.js';
import { isValidSiren, isValidSiret } from '../../../common/identifiers/siren.js';
import type { StagingHeadOfficesTable, StagingUnitsTable } from '../../db/schema.js';
import { foldForSearch, indexWords, withAbbreviations } from '../../shared/text.js';
import { headcountOf, isPublicBody, searchRank } from '../ranking.js';

// INSEE's Sirene stock and update files, as published (CSV, one header line,
// columns named as below). Only the columns Guichet uses are read.
export type FileKind = 'units' | 'establishments';

/** Reads a CSV record (an array) by column name, the header giving each name's position. */
export class SireneRow {
  private readonly positions: Map<string, number>;
  private cells: string[] = [];

  constructor(header: string[]) {
    this.positions = new Map(header.map((name, i) => [name, i]));
  }

  use(cells: string[]): this {
    this.cells = cells;
    return this;
  }

  get(column: string): string {
    const i = this.positions.get(column);
    return i === undefined ? '' : (this.cells[i] ?? '').trim();
  }
}

export function fileKindOf(header: string[]): FileKind | null {
  if (header.includes('siren') && header.includes('categorieJuridiqueUniteLegale')) return 'units';
  if (header.includes('siret') && header.includes('etablissementSiege')) return 'establishments';
  return null;
}

export type Rejection = { rejected: string };

const value = (row: SireneRow, column: string): string => row.get(column);

function unitName(row: SireneRow): string {
  const denomination = value(row, 'denominationUniteLegale') || value(row, 'denominationUsuelle1UniteLegale');
  if (denomination) return denomination;
  const first = value(row, 'prenomUsuelUniteLegale') || value(row, 'prenom1UniteLegale');
  const last = value(row, 'nomUsageUniteLegale') || value(row, 'nomUniteLegale');
  return [first, last].filter(Boolean).join(' ');
}

export function stagedUnit(row: SireneRow): StagingUnitsTable | Rejection {
  const siren = value(row, 'siren');
  if (!isValidSiren(siren)) return { rejected: 'SIREN absent ou invalide' };
  const legalCategory = value(row, 'categorieJuridiqueUniteLegale');
  if (!/^\d{4}$/.test(legalCategory)) return { rejected: 'catégorie juridique absente ou invalide' };
  const diffusion = value(row, 'statutDiffusionUniteLegale') === 'O' ? 'O' : 'P';
  const name = unitName(row);
  if (!name && diffusion === 'O') return { rejected: 'dénomination absente' };
  const state = value(row, 'etatAdministratifUniteLegale') === 'C' ? 'C' : 'A';
  const sigle = value(row, 'sigleUniteLegale') || null;
  const headcount = headcountOf(value(row, 'trancheEffectifsUniteLegale'));
  const nameKey = foldForSearch(name);
  return {
    siren,
    name: name || 'Organisme non diffusible',
    kind: legalFamily(legalCategory),
    sigle,
    legal_category: legalCategory,
    activity: value(row, 'activitePrincipaleUniteLegale') || null,
    state,
    diffusion,
    headcount,
    name_key: nameKey,
    name_words: diffusion === 'O' ? withAbbreviations(sigle ? `${nameKey} ${foldForSearch(sigle)}` : nameKey) : '',
    search_rank: searchRank(isPublicBody(legalCategory), headcount, siren),
    updated_at: value(row, 'dateDernierTraitementUniteLegale') || null,
  };
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
    words = indexWords([town, postcode, departement]);
    if (placeWordsCache.size >= PLACE_CACHE_LIMIT) placeWordsCache.clear();
    placeWordsCache.set(key, words);
  }
  return words;
}

/** Head offices only: they give a unit its address, town and postcode; other establishments are skipped. */
export function stagedHeadOffice(row: SireneRow): StagingHeadOfficesTable | Rejection | null {
  if (value(row, 'etablissementSiege') !== 'true') return null;
  const siren = value(row, 'siren');
  const siret = value(row, 'siret');
  if (!isValidSiren(siren)) return { rejected: 'SIREN absent ou invalide' };
  if (!isValidSiret(siret) || !siret.startsWith(siren)) return { rejected: 'SIRET absent ou invalide' };
  const diffusion = value(row, 'statutDiffusionEtablissement') === 'O' ? 'O' : 'P';
  const town = value(row, 'libelleCommuneEtablissement') || null;
  const postcode = value(row, 'codePostalEtablissement') || null;
  const communeCode = value(row, 'codeCommuneEtablissement');
  const departement = departementOfCommune(communeCode);
  const address =
    [
      value(row, 'numeroVoieEtablissement'),
      value(row, 'indiceRepetitionEtablissement'),
      value(row, 'typeVoieEtablissement'),
      value(row, 'libelleVoieEtablissement'),
    ]
      .filter(Boolean)
      .join(' ') || null;
  if (diffusion !== 'O') {
    return { siren, siret, address: null, town: null, postcode: null, departement: null, place_words: '', diffusion };
  }
  return { siren, siret, address, town, postcode, departement, place_words: placeWords(communeCode, town, postcode, departement), diffusion };
}
