import type { Kysely } from 'kysely';
import type { DirectorySearchResponse, Organisation as OrganisationView } from '../../common/api/contracts.js';
import { legalCategoryLabel } from '../../common/directory/legal-categories.js';
import { identifierErrorMessage, identifierLengthMessage, parseIdentifier } from '../../common/identifiers/siren.js';
import type { DatabaseKind } from '../db/database.js';
import type { Database, Organisation } from '../db/schema.js';
import { invalidField } from '../shared/domain-error.js';
import { expandAbbreviations, foldForSearch } from '../shared/text.js';
import { countOrganisations, findOrganisation, insertOrganisations, refreshSearchIndex, searchByWords } from './directory.repository.js';
import { loadPublicBodies } from './public-bodies.js';
import { NO_FILTERS, type SearchFilters } from './search-filters.js';
import { suggestCorrection } from './suggestions.js';

export const PAGE_SIZE = 10;
const MAX_WORDS = 8;

/** What a partly non-diffusible unit may show: its identifiers and legal category, not its name or place. */
const NON_DIFFUSIBLE_NAME = 'Organisme non diffusible';

export function toOrganisationView(o: Organisation): OrganisationView {
  if (o.diffusion !== 'O') {
    return {
      siren: o.siren,
      name: NON_DIFFUSIBLE_NAME,
      kind: o.kind,
      legalCategory: o.legal_category,
      legalCategoryLabel: legalCategoryLabel(o.legal_category),
      town: null,
      postcodes: [],
      departement: null,
    };
  }
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

/** A closed unit typed by its number: since when, and its name unless it is non-diffusible. */
export function closedView(o: Organisation): NonNullable<DirectorySearchResponse['closed']> {
  return { siren: o.siren, name: o.diffusion === 'O' ? o.name : null, closedOn: o.closed_on };
}

/** Loads the shipped public bodies into an empty directory (first start). */
export async function seedDirectory(db: Kysely<Database>): Promise<number> {
  if ((await countOrganisations(db)) > 0) return 0;
  const rows = loadPublicBodies();
  await insertOrganisations(db, rows);
  await refreshSearchIndex(db);
  return rows.length;
}

/**
 * A search by SIREN or SIRET (filters do not apply to an exact number), or by
 * words. A word search that finds nothing comes with the nearest spelling
 * that finds something, if any.
 */
export async function searchDirectory(
  db: Kysely<Database>,
  kind: DatabaseKind,
  q: string,
  page: number,
  filters: SearchFilters = NO_FILTERS,
): Promise<DirectorySearchResponse> {
  const base = { query: q, page, pageSize: PAGE_SIZE };
  const identifier = parseIdentifier(q);
  if (identifier) {
    if (!identifier.valid) throw invalidField('q', identifierErrorMessage(identifier));
    const unit = await findOrganisation(db, identifier.siren);
    const none = { ...base, total: 0, totalCapped: false, exact: true, results: [] };
    if (!unit) return { ...none, notInDirectory: { siren: identifier.siren } };
    if (unit.state !== 'A') return { ...none, closed: closedView(unit) };
    // A partly non-diffusible unit is found all the same, showing its identifiers only.
    return { ...base, total: 1, totalCapped: false, exact: true, results: page === 1 ? [toOrganisationView(unit)] : [] };
  }
  const wrongLength = identifierLengthMessage(q);
  if (wrongLength) throw invalidField('q', wrongLength);
  const folded = foldForSearch(q);
  const words = folded.split(' ').filter(Boolean).slice(0, MAX_WORDS);
  if (words.length === 0) {
    throw invalidField('q', 'Saisissez un nom, une commune, un code postal, un SIREN ou un SIRET.');
  }
  const { total, capped, rows } = await searchByWords(db, kind, {
    words,
    phrase: expandAbbreviations(folded),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    filters,
  });
  const found = { ...base, total, totalCapped: capped, exact: false, results: rows.map(toOrganisationView) };
  if (total > 0 || page > 1) return found;
  const suggestion = await suggestCorrection(db, kind, words, filters);
  return suggestion ? { ...found, suggestion } : found;
}
