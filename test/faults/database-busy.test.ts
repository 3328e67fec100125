import { DatabaseSync } from 'node:sqlite';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { personWithRole } from '../support/staff.js';
import { newCaptcha, validRegistration } from '../support/test-app.js';
import { appOn, DATABASE_KINDS, faultDatabase, type FaultDatabase } from './support.js';

// Another process holds the database's write lock (a long import, a backup
// tool, a stuck administrator's session) for longer than the service waits.
const BUSY_TIMEOUT_MS = 300;

interface LockHolder {
  release(): Promise<void>;
}

/** Takes the lock from a connection of its own, as another process would. */
async function holdLock(database: FaultDatabase): Promise<LockHolder> {
  if (database.kind === 'sqlite') {
    const other = new DatabaseSync(database.url);
    other.exec('BEGIN IMMEDIATE');
    return {
      release: async () => {
        other.exec('ROLLBACK');
        other.close();
      },
    };
  }
  const other = new pg.Client({ connectionString: database.url });
  await other.connect();
  await other.query('BEGIN');
  await other.query('LOCK TABLE registrations, accounts IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await other.query('ROLLBACK');
      await other.end();
    },
  };
}

let database: FaultDatabase | null = null;
let app: FastifyInstance | null = null;
let lock: LockHolder | null = null;
afterEach(async () => {
  await lock?.release();
  await app?.close();
  await database?.dispose();
  [lock, app, database] = [null, null, null];
});

async function stored(email: string) {
  const db = app!.ctx.db;
  const registrations = await db.selectFrom('registrations').select('id').where('email', '=', email).execute();
  const accounts = await db.selectFrom('accounts').select('id').where('email', '=', email).execute();
  const mails = await db.selectFrom('outbox').select('id').where('recipient', '=', email).execute();
  return { registrations: registrations.length, accounts: accounts.length, mails: mails.length };
}

describe.each(DATABASE_KINDS)('the database locked beyond its timeout (%s)', (kind) => {
  it('answers 503 in French with Retry-After, stores nothing, stays up, and takes the same request once the lock is gone', { timeout: 60_000 }, async () => {
    database = await faultDatabase(kind);
    app = await appOn(database, { DB_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) }, { startMailWorker: false });
    const agent = await personWithRole(app, 'agent');
    const registration = (email: string) => ({ ...validRegistration({ email, captchaId: 'x' }), confirm: { termsAccepted: true } });
    const captchaId = await newCaptcha(app);

    lock = await holdLock(database);
    const started = Date.now();
    const answers = [
      await app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email: 'verrou@saint-etienne.fr', captchaId }) }),
      await app.inject({ method: 'POST', url: '/api/staff/phone-registrations', payload: registration('telephone@saint-etienne.fr'), cookies: agent.cookies }),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toEqual({ error: 'service_busy', message: expect.stringMatching(/momentanément surchargé.*Réessayez dans quelques secondes/) });
    }
    // It gave up after its timeout rather than waiting for the lock to go.
    expect(Date.now() - started).toBeLessThan(10 * BUSY_TIMEOUT_MS);
    // Reading still works while another process writes.
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/directory/search?q=saint-etienne' })).statusCode).toBe(200);

    await lock.release();
    lock = null;
    expect(await stored('verrou@saint-etienne.fr')).toEqual({ registrations: 0, accounts: 0, mails: 0 });
    expect(await stored('telephone@saint-etienne.fr')).toEqual({ registrations: 0, accounts: 0, mails: 0 });

    const retried = await app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email: 'verrou@saint-etienne.fr', captchaId: await newCaptcha(app) }) });
    expect(retried.statusCode).toBe(202);
    const phoned = await app.inject({ method: 'POST', url: '/api/staff/phone-registrations', payload: registration('telephone@saint-etienne.fr'), cookies: agent.cookies });
    expect(phoned.statusCode).toBe(202);
    expect(await stored('verrou@saint-etienne.fr')).toEqual({ registrations: 1, accounts: 1, mails: 1 });
    expect(await stored('telephone@saint-etienne.fr')).toEqual({ registrations: 1, accounts: 1, mails: 1 });
  });
});
