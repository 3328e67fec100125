import { organisationRow } from '../../server/directory/organisation-row.js';

/** An association: outside the default trust domain, so its requests wait for approval. */
export const UNTRUSTED_ORGANISATION = organisationRow({
  siren: '775672272',
  name: 'Association Quartiers Solidaires',
  kind: 'Association',
  legalCategory: '9220',
  town: 'Lyon',
  postcodes: ['69003'],
  departement: '69',
  people: 12,
  source: 'test',
});
