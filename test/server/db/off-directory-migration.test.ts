import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { withDatabaseAt } from '../../support/older-database.js';
import { UNTRUSTED_ORGANISATION } from '../../support/test-app.js';

describe('upgrading to 2026-12-15-off-directory', () => {
  it('keeps requests and units as they were: in the directory, closing day unknown until the next import', async () => {
    await withDatabaseAt('2026-12-13-retention', async (db) => {
      await db.insertInto('organisations').values({ ...UNTRUSTED_ORGANISATION, siren: '389123456', state: 'C', search_rank: 42 }).execute();
      await (db as any)
        .insertInto('registrations')
        .values({
          id: '0192f1a0-0000-7000-8000-000000000099',
          created_at: '2026-12-01T09:00:00.000Z',
          status: 'pending',
          channel: 'web',
          civility: 'Mme',
          last_name: 'Martin',
          first_name: 'Claire',
          job_title: 'Cheffe de projet',
          quartiers_fertiles: 0,
          siren: UNTRUSTED_ORGANISATION.siren,
          organisation_name: UNTRUSTED_ORGANISATION.name,
          email: 'claire@asso.fr',
          phone: '+33477487748',
          trusted: 0,
          trust_rule_id: null,
          trust_reason: 'Aucune règle',
        })
        .execute();
      await migrateToLatest(db);
      expect(await db.selectFrom('registrations').select(['off_directory', 'organisation_commune']).execute()).toEqual([{ off_directory: 0, organisation_commune: null }]);
      expect(await db.selectFrom('organisations').select(['state', 'closed_on']).where('siren', '=', '389123456').execute()).toEqual([{ state: 'C', closed_on: null }]);
    });
  });
});
