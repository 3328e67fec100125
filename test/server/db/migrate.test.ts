import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.js';
import { migrateToLatest, SchemaError } from '../../../server/db/migrate.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresUrl, tempDir, testDatabaseKind } from '../../support/test-database.js';

async function emptyDatabase(): Promise<{ url: string; dispose: () => Promise<void> }> {
  const dir = tempDir('guichet-migrate-');
  if (testDatabaseKind === 'sqlite') return { url: path.join(dir, 'g.sqlite'), dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  const name = `guichet_migrate_${randomBytes(4).toString('hex')}`;
  await createPostgresDatabase(name);
  return { url: postgresUrl(name), dispose: () => dropPostgresDatabase(name) };
}

describe('schema migrations', () => {
  it('creates the schema on an empty database, is a no-op the second time, and refuses a newer schema', async () => {
    const target = await emptyDatabase();
    const { db, close } = openDatabase(target.url);
    try {
      await migrateToLatest(db);
      await migrateToLatest(db);
      const tables = (await db.introspection.getTables()).map((t) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining(['organisations', 'registrations', 'accounts', 'tokens', 'outbox', 'audit_events', 'trust_rules', 'rejection_reasons', 'sign_in_throttle', 'kiosk_devices']),
      );

      await (db as any).insertInto('kysely_migration').values({ name: '2099-01-01-from-the-future', timestamp: new Date().toISOString() }).execute();
      await expect(migrateToLatest(db)).rejects.toThrow(SchemaError);
      await expect(migrateToLatest(db)).rejects.toThrow(/version plus récente de Guichet/);
    } finally {
      await close();
      await target.dispose();
    }
  });
});
