import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../server/db/database.js';
import { isDatabaseUnavailable, isUniqueViolation } from '../../../server/db/errors.js';
import { tempDir } from '../../support/test-database.js';

// The service tells a duplicate (409), a busy database (503) and a full disk
// apart by SQLite's names for its errors, which node:sqlite gives as numbers.
let dir = '';
let handle: DatabaseHandle | null = null;
afterEach(async () => {
  await handle?.close();
  handle = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function failure(run: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await run();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('the statement did not fail');
}

it("names SQLite's failures as SQLite does, so that a duplicate and a busy database are recognised", async () => {
  dir = tempDir('guichet-sqlite-errors-');
  const file = path.join(dir, 'g.sqlite');
  handle = openDatabase(file, { busyTimeoutMs: 50 });
  const { db } = handle;
  await sql`CREATE TABLE bodies (siren TEXT PRIMARY KEY, email TEXT UNIQUE)`.execute(db);
  await sql`CREATE TABLE people (siren TEXT NOT NULL REFERENCES bodies (siren))`.execute(db);
  await sql`INSERT INTO bodies VALUES ('213100017', 'mairie@toulouse.fr')`.execute(db);

  const samePrimaryKey = await failure(() => sql`INSERT INTO bodies VALUES ('213100017', 'autre@toulouse.fr')`.execute(db));
  expect(samePrimaryKey.code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
  expect(isUniqueViolation(samePrimaryKey)).toBe(true);
  const sameEmail = await failure(() => sql`INSERT INTO bodies VALUES ('217500016', 'mairie@toulouse.fr')`.execute(db));
  expect(sameEmail).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: bodies.email' });
  expect(isUniqueViolation(sameEmail)).toBe(true);
  expect((await failure(() => sql`INSERT INTO people VALUES ('999999999')`.execute(db))).code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
  expect((await failure(() => sql`INSERT INTO people VALUES (NULL)`.execute(db))).code).toBe('SQLITE_CONSTRAINT_NOTNULL');

  // Another process holds the write lock past the busy timeout.
  const other = new DatabaseSync(file);
  other.exec('BEGIN IMMEDIATE');
  try {
    const busy = await failure(() => db.transaction().execute((trx) => sql`INSERT INTO people VALUES ('213100017')`.execute(trx)));
    expect(busy.code).toBe('SQLITE_BUSY');
    expect(isDatabaseUnavailable(busy)).toBe(true);
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  await sql`INSERT INTO people VALUES ('213100017')`.execute(db);
});
