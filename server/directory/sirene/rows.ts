import { legalFamily } from '../../../common/directory/legal-categories.js';
import { isValidSiren, isValidSiret } from '../../../common/identifiers/siren.js';
import type { StagingHeadOfficesTable, StagingUnitsTable } from '../../db/schema.js';
import { foldForSearch, indexWords } from '../../shared/text.js';
import { headcountOf, isPublicBody, searchRank } from '../ranking.js';

// INSEE's Sirene stock and update files, as published (CSV, one header line,
// columns named as below). Only the columns Guichet uses are read.
export type SireneRow = Record<string, string | undefined>;
export type FileKind = 'units' | 'establishments';

export function fileKindOf(header: string[]): FileKind | null {
  if (header.includes('siren') && header.includes('categorieJuridiqueUniteLegale')) return 'units';
  if (header.includes('siret') && header.includes('etablissementSiege')) return 'establishments';
  return null;
}

export type Rejection = { rejected: string };

const value = (row: SireneRow, column: string): string => (row[column] ?? '').trim();

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
    name_key: foldForSearch(name),
    name_words: diffusion === 'O' ? indexWords([name, sigle]) : '',
    search_rank: searchRank(isPublicBody(legalCategory), headcount, siren),
    updated_at: value(row, 'dateDernierTraitementUniteLegale') || null,
  };
}

/** The département of a commune's INSEE code: 2 characters, 3 overseas (971…976). */
export function departementOfCommune(code: string): string | null {
  if (!/^[0-9][0-9AB]\d{3}$/.test(code)) return null;
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
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
  const departement = departementOfCommune(value(row, 'codeCommuneEtablissement'));
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
  return { siren, siret, address, town, postcode, departement, place_words: indexWords([town, postcode, departement]), diffusion };
}
