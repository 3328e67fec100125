import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { randomBytes } from 'node:crypto';
import { verifyTestDomain } from './organisations.js';
import { createPostgresDatabase, databaseKindOf, dropPostgresDatabase, postgresUrl, tempDir } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A seeded SQLite file, or the name of a seeded PostgreSQL template database. */
    templateDatabase: string;
  }
}

// Migrating and loading the 36,000 public bodies takes a second or two; it is
// done once here, and each test app starts from a copy.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const testDatabaseKind = databaseKindOf({ ...process.env, ...project.config.env });
  const dir = tempDir('guichet-template-');
  // Named per run, so that two runs on one server (a developer's and CI's) keep apart.
  const template = `guichet_template_${randomBytes(4).toString('hex')}`;
  let databaseUrl = path.join(dir, 'guichet.sqlite');
  if (testDatabaseKind === 'postgres') {
    await createPostgresDatabase(template);
    databaseUrl = postgresUrl(template);
  }
  const app = await buildApp(loadConfig({ DATA_DIR: dir, WEB_ROOT: '', DATABASE_URL: databaseUrl }), { logger: false, startMailWorker: false });
  await verifyTestDomain(app.ctx.db);
  await app.close();
  project.provide('templateDatabase', testDatabaseKind === 'postgres' ? template : databaseUrl);
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (testDatabaseKind === 'postgres') await dropPostgresDatabase(template);
  };
}
