import fs from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { TestClock } from '../support/clock.js';
import { personWithRole } from '../support/staff.js';
import { freshDatabase, tempDir, type TestDatabase } from '../support/test-database.js';

// The service's log is read by operators and kept by journald: it records
// which route was called, never what staff searched for (names, emails) nor
// what an applicant typed in the directory search.
let app: FastifyInstance;
let dataDir: string;
let database: TestDatabase;
let lines: string[];

beforeEach(async () => {
  dataDir = tempDir('guichet-log-');
  database = await freshDatabase(dataDir, inject('templateDatabase'));
  lines = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp(loadConfig({ DATA_DIR: dataDir, WEB_ROOT: '', PUBLIC_URL: 'http://guichet.test', DATABASE_URL: database.url }), {
    logger: { level: 'info', stream },
    startMailWorker: false,
    clock: new TestClock(),
  });
  await app.ready();
});
afterEach(async () => {
  await app.close();
  await database.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the request log', () => {
  it('names the route of a staff search, without the name or email searched', async () => {
    const agent = await personWithRole(app, 'agent');
    const res = await app.inject({ method: 'GET', url: '/api/staff/search?q=claire.martin%40saint-etienne.fr', cookies: agent.cookies });
    expect(res.statusCode).toBe(200);
    const refused = await app.inject({ method: 'GET', url: '/api/staff/search?q=Durand%20Marie' });
    expect(refused.statusCode).toBe(401);

    const requests = lines.map((line) => JSON.parse(line) as { msg: string; req?: { url?: string } }).filter((entry) => entry.req);
    expect(requests.map((entry) => entry.req!.url)).toEqual(['/api/staff/search', '/api/staff/search']);
    const log = lines.join('\n');
    expect(log).not.toMatch(/claire|martin|saint-etienne|Durand|Marie/i);
  });

  it('keeps the directory search text out of it too', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/directory/search?q=mairie%20de%20crevecoeur' });
    expect(res.statusCode).toBe(200);
    expect(lines.join('\n')).toContain('/api/directory/search');
    expect(lines.join('\n')).not.toContain('crevecoeur');
  });
});
