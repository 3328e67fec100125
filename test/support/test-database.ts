import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

// The whole suite runs on SQLite (the embedded default) and, with
// TEST_DATABASE=postgres, on a real PostgreSQL server. Each test app gets a
// fresh database copied from a template that global setup migrated and
// seeded once.
export type TestDatabaseKind = 'sqlite' | 'postgres';

export function databaseKindOf(env: Record<string, string | undefined>): TestDatabaseKind {
  return env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

/** The kind this test worker runs on (the vitest project sets TEST_DATABASE). */
export const testDatabaseKind = databaseKindOf(process.env);
const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function postgresUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `TEST_DATABASE=postgres, mais PostgreSQL est injoignable à ${adminUrl} (${error instanceof Error ? error.message : String(error)}). ` +
        'Démarrez-le, ou indiquez son adresse dans TEST_POSTGRES_URL.',
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function createPostgresDatabase(name: string, template?: string): Promise<void> {
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
}

export interface TestDatabase {
  /** DATABASE_URL for the app. */
  url: string;
  dispose(): Promise<void>;
}

/** A fresh database holding the seeded template's data. */
export async function freshDatabase(dataDir: string, template: string): Promise<TestDatabase> {
  if (testDatabaseKind === 'sqlite') {
    const file = path.join(dataDir, 'guichet.sqlite');
    fs.copyFileSync(template, file);
    return { url: file, dispose: async () => undefined };
  }
  const name = `guichet_test_${randomBytes(6).toString('hex')}`;
  await createPostgresDatabase(name, template);
  return { url: postgresUrl(name), dispose: () => dropPostgresDatabase(name) };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
