import type { NewOrganisation } from '../db/schema.js';
import { foldForSearch, indexWords } from '../shared/text.js';
import { sigleKey } from './exact-tier.js';
import { isPublicBody, searchRank } from './ranking.js';
import { departementWords } from './territories.js';

export interface OrganisationFields {
  siren: string;
  name: string;
  kind: string;
  legalCategory: string;
  town: string | null;
  postcodes: string[];
  departement: string | null;
  /** Population of a territory, or headcount of a unit: orders search results at equal match. */
  people: number;
  source: string;
  sigle?: string | null;
  /** Extra words the name is found by (e.g. "commune", or an EPCI's spelled-out type). */
  nameAliases?: string[];
  /** Extra places the organisation is found by (a département's région). */
  placeAliases?: string[];
}

/**
 * The place words of a located organisation: its town, postcodes and
 * département code, then the words of its département's name. Kept as two
 * parts so that stored rows gain the second by appending it.
 */
export function placeWordsOf(located: string, departement: string | null): string {
  const named = departementWords(departement);
  return located && named ? `${located} ${named}` : located;
}

/** A directory row with its derived search fields (folded words, ranking key). */
export function organisationRow(f: OrganisationFields): NewOrganisation {
  const nameWords = indexWords([...(f.nameAliases ?? []), f.name, f.sigle]);
  const located = indexWords([f.town && foldForSearch(f.town) !== foldForSearch(f.name) ? f.town : null, ...f.postcodes, f.departement]);
  const placeWords = [placeWordsOf(located, f.departement), indexWords(f.placeAliases ?? [])].filter(Boolean).join(' ');
  return {
    siren: f.siren,
    name: f.name,
    kind: f.kind,
    legal_category: f.legalCategory,
    town: f.town,
    postcodes: f.postcodes.join(' '),
    departement: f.departement,
    population: f.people,
    name_key: foldForSearch(f.name),
    name_words: nameWords,
    place_words: placeWords,
    search_text: ` ${nameWords} ${placeWords} `,
    search_rank: searchRank(isPublicBody(f.legalCategory), f.people, f.siren),
    source: f.source,
    state: 'A',
    diffusion: 'O',
    sigle: f.sigle ?? null,
    // Only when there is one: rows without are written as earlier versions wrote them (tests of upgrades).
    ...(sigleKey(f.sigle) ? { sigle_key: sigleKey(f.sigle) } : {}),
    activity: null,
    head_siret: null,
    address: null,
    updated_at: null,
  };
}
