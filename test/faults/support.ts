import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type BuildOptions } from '../../server/app.js';
import { verifyTestDomain } from '../support/organisations.js';
import { loadConfig } from '../../server/config.js';
import { asGuichetPage, CAPTCHA_TEXT } from '../support/test-app.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresUrl, tempDir, type TestDatabaseKind } from '../support/test-database.js';

// Fault tests run in the node project, but each fault is tried on both
// databases: SQLite from the seeded template, PostgreSQL migrated afresh.
export const DATABASE_KINDS: TestDatabaseKind[] = ['sqlite', 'postgres'];

export interface FaultDatabase {
  kind: TestDatabaseKind;
  url: string;
  dataDir: string;
  dispose(): Promise<void>;
}

export async function faultDatabase(kind: TestDatabaseKind): Promise<FaultDatabase> {
  const dataDir = tempDir(`guichet-fault-${kind}-`);
  if (kind === 'sqlite') {
    const url = path.join(dataDir, 'guichet.sqlite');
    fs.copyFileSync(inject('templateDatabase'), url);
    return { kind, url, dataDir, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `guichet_fault_${randomBytes(5).toString('hex')}`;
  await createPostgresDatabase(name);
  return {
    kind,
    url: postgresUrl(name),
    dataDir,
    dispose: async () => {
      await dropPostgresDatabase(name);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The service on a fault database, with the test captcha text and Saint-Étienne's domain verified; extra settings as environment variables. */
export async function appOn(database: FaultDatabase, env: Record<string, string> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp(
    loadConfig({ DATA_DIR: database.dataDir, WEB_ROOT: '', PUBLIC_URL: 'http://guichet.test', DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: '100000', ...env }),
    { logger: false, captchaText: () => CAPTCHA_TEXT, ...options },
  );
  await verifyTestDomain(app.ctx.db);
  asGuichetPage(app);
  return app;
}
