import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, type Kysely } from 'kysely';
import { openDatabase } from '../../server/db/database.js';
import { migrationProvider } from '../../server/db/migrate.js';
import type { Database } from '../../server/db/schema.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresUrl, tempDir, testDatabaseKind } from './test-database.js';

/**
 * Runs `use` on an empty database of the test's kind migrated up to
 * `migration` only, as a directory left by an earlier version would be, then
 * deletes it.
 */
export async function withDatabaseAt(migration: string, use: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  const dir = tempDir('guichet-older-');
  const name = `guichet_older_${randomBytes(4).toString('hex')}`;
  if (testDatabaseKind === 'postgres') await createPostgresDatabase(name);
  const { db, close } = openDatabase(testDatabaseKind === 'postgres' ? postgresUrl(name) : path.join(dir, 'g.sqlite'));
  try {
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(migration);
    if (error) throw error;
    await use(db);
  } finally {
    await close();
    if (testDatabaseKind === 'postgres') await dropPostgresDatabase(name);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
