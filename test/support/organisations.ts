import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema.js';
import { insertVerifiedDomain } from '../../server/trust/domains.repository.js';
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

/**
 * The deployment the tests model has verified Saint-Étienne's own domain, as
 * an admin would: its staff's requests skip approval; any other domain waits.
 */
export const VERIFIED_TEST_DOMAIN = { siren: '214202186', domain: 'saint-etienne.fr' };

export async function verifyTestDomain(db: Kysely<Database>): Promise<void> {
  await insertVerifiedDomain(db, { ...VERIFIED_TEST_DOMAIN, reason: 'Domaine de la commune (données de test)', verifiedBy: 'import', verifiedAt: new Date().toISOString() });
}
