import type { Kysely } from 'kysely';
import type { DirectorySearchResponse, Organisation as OrganisationView } from '../../common/api/contracts.js';
import { legalCategoryLabel } from '../../common/directory/legal-categories.js';
import { identifierErrorMessage, parseIdentifier } from '../../common/identifiers/siren.js';
import type { Database, Organisation } from '../db/schema.js';
import { invalidField } from '../http/errors.js';
import { expandAbbreviations, foldForSearch } from '../shared/text.js';
import { countOrganisations, findOrganisation, insertOrganisations, searchByWords } from './directory.repository.js';
import { loadPublicBodies } from './public-bodies.js';

export const PAGE_SIZE = 10;
const MAX_WORDS = 8;

export function toOrganisationView(o: Organisation): OrganisationView {
  return {
    siren: o.siren,
    name: o.name,
    kind: o.kind,
    legalCategory: o.legal_category,
    legalCategoryLabel: legalCategoryLabel(o.legal_category),
    town: o.town,
    postcodes: o.postcodes ? o.postcodes.split(' ') : [],
    departement: o.departement,
  };
}

/** Loads the shipped public bodies into an empty directory (first start). */
export async function seedDirectory(db: Kysely<Database>): Promise<number> {
  if ((await countOrganisations(db)) > 0) return 0;
  const rows = loadPublicBodies();
  await insertOrganisations(db, rows);
  return rows.length;
}

export async function searchDirectory(db: Kysely<Database>, q: string, page: number): Promise<DirectorySearchResponse> {
  const base = { query: q, page, pageSize: PAGE_SIZE };
  const identifier = parseIdentifier(q);
  if (identifier) {
    if (!identifier.valid) throw invalidField('q', identifierErrorMessage(identifier));
    const found = await findOrganisation(db, identifier.siren);
    const results = found && page === 1 ? [toOrganisationView(found)] : [];
    return { ...base, total: found ? 1 : 0, exact: true, results };
  }
  const folded = foldForSearch(q);
  const words = folded.split(' ').filter(Boolean).slice(0, MAX_WORDS);
  if (words.length === 0) {
    throw invalidField('q', 'Saisissez un nom, une commune, un code postal, un SIREN ou un SIRET.');
  }
  const { total, rows } = await searchByWords(db, { words, phrase: expandAbbreviations(folded), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return { ...base, total, exact: false, results: rows.map(toOrganisationView) };
}
