import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { importSirene } from '../../../server/directory/sirene/import.js';
import { systemClock } from '../../../server/shared/time.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresUrl, tempDir } from '../../support/test-database.js';

// Misspelled: nothing found, the same suggestion on both.
const MISSPELLED = ['sant etienne', 'villeurbane', 'grenobel', 'quartier fertils', 'societe amenagment'];
const FILTERED: Record<string, string>[] = [
  { q: 'saint', departement: '42' },
  { q: 'saint', departement: '42', page: '2' },
  { q: 'saint', publicOnly: 'true', page: '3' },
  { q: 'office public', publicOnly: 'true' },
  { q: 'lssd' },
  { q: 'aqfe', departement: '42' },
];

const QUERIES: [string, number][] = [
  ['saint', 1],
  ['saint', 7],
  ['st etienne', 1],
  ['lyon', 1],
  ['42000', 1],
  ['metropole', 1],
  ['communaute de communes', 3],
  ['quartiers fertiles', 1],
  ['societe amenagement', 1],
  ['val d', 2],
];

describe('the same search on SQLite and PostgreSQL', () => {
  it('returns the same organisations in the same order, with the same totals', { timeout: 120_000 }, async () => {
    const dir = tempDir('guichet-parity-');
    const name = `guichet_parity_${randomBytes(4).toString('hex')}`;
    await createPostgresDatabase(name);
    const apps: Awaited<ReturnType<typeof buildApp>>[] = [];
    try {
      for (const databaseUrl of [path.join(dir, 'g.sqlite'), postgresUrl(name)]) {
        const app = await buildApp(loadConfig({ DATA_DIR: dir, WEB_ROOT: '', DATABASE_URL: databaseUrl, RATE_LIMIT_PER_MINUTE: '100000' }), {
          logger: false,
          startMailWorker: false,
        });
        apps.push(app);
        await importSirene(app.ctx, systemClock, ['test/fixtures/sirene/StockUniteLegale_sample.csv', 'test/fixtures/sirene/StockEtablissement_sample.csv']);
      }
      const both = (query: Record<string, string>) =>
        Promise.all(apps.map(async (app) => (await app.inject({ method: 'GET', url: '/api/directory/search', query })).json()));
      for (const q of MISSPELLED) {
        const [sqlite, postgres] = await both({ q });
        expect(postgres, q).toEqual(sqlite);
        expect(sqlite.suggestion, q).toEqual(expect.any(String));
      }
      for (const query of FILTERED) {
        const [sqlite, postgres] = await both(query);
        expect(postgres, JSON.stringify(query)).toEqual(sqlite);
        expect(sqlite.results.length, JSON.stringify(query)).toBeGreaterThan(0);
      }
      for (const [q, page] of QUERIES) {
        const [sqlite, postgres] = await Promise.all(
          apps.map(async (app) => (await app.inject({ method: 'GET', url: '/api/directory/search', query: { q, page: String(page) } })).json()),
        );
        expect(postgres, `${q} page ${page}`).toEqual(sqlite);
        expect(sqlite.results.length, `${q} page ${page}`).toBeGreaterThan(0);
      }
    } finally {
      for (const app of apps) await app.close();
      await dropPostgresDatabase(name);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL answers through its full-text index right after the first start and after an import', { timeout: 120_000 }, async () => {
    const dir = tempDir('guichet-plan-');
    const name = `guichet_plan_${randomBytes(4).toString('hex')}`;
    await createPostgresDatabase(name);
    const app = await buildApp(loadConfig({ DATA_DIR: dir, WEB_ROOT: '', DATABASE_URL: postgresUrl(name) }), { logger: false, startMailWorker: false });
    // A rare word: a sequential scan reads the whole directory, the index only its matches.
    const plan = async (): Promise<string> => {
      const { rows } = await sql<{ 'QUERY PLAN': string }>`
        EXPLAIN SELECT search_rank FROM organisations
        WHERE search_vector @@ to_tsquery('simple', 'lyon:*') AND state = 'A' AND diffusion = 'O'
        ORDER BY search_rank DESC LIMIT 10`.execute(app.ctx.db);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    try {
      expect(await plan()).toContain('Bitmap Index Scan on organisations_search_vector');
      await importSirene(app.ctx, systemClock, ['test/fixtures/sirene/StockUniteLegale_sample.csv', 'test/fixtures/sirene/StockEtablissement_sample.csv']);
      expect(await plan()).toContain('Bitmap Index Scan on organisations_search_vector');
    } finally {
      await app.close();
      await dropPostgresDatabase(name);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
