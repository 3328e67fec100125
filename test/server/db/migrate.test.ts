import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.js';
import { migrateToLatest, SchemaError } from '../../../server/db/migrate.js';

describe('schema migrations', () => {
  it('creates the schema on an empty file, is a no-op the second time, and refuses a newer schema', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-migrate-'));
    const { db, close } = openDatabase(path.join(dir, 'g.sqlite'));
    try {
      await migrateToLatest(db);
      await migrateToLatest(db);
      const tables = (await db.introspection.getTables()).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['organisations', 'registrations', 'accounts', 'tokens', 'outbox', 'audit_events', 'trust_rules']));

      await (db as any).insertInto('kysely_migration').values({ name: '2099-01-01-from-the-future', timestamp: new Date().toISOString() }).execute();
      await expect(migrateToLatest(db)).rejects.toThrow(SchemaError);
      await expect(migrateToLatest(db)).rejects.toThrow(/version plus récente de Guichet/);
    } finally {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
