import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChallenge } from '../../server/captcha/captcha.service.js';
import { openDatabase } from '../../server/db/database.js';
import { systemClock } from '../../server/shared/time.js';
import { CAPTCHA_TEXT, validRegistration } from '../support/test-app.js';
import { appOn, DATABASE_KINDS, faultDatabase, type FaultDatabase } from './support.js';
import { freePort, startService, untilReady, type ServiceProcess } from './service-process.js';

// The service as its own process, killed with SIGKILL (power cut, OOM
// killer) while applicants submit, then started again on the same data.
const REQUESTS = 240;
const CONCURRENCY = 24;
/** Killed once this many requests were accepted: well inside the load. */
const KILL_AFTER_ACCEPTED = 50;
/** The mail worker's lease on a message it is sending (server/mail/mail.worker.ts). */
const MAIL_LEASE_MS = 60_000;

let database: FaultDatabase | null = null;
const services: ServiceProcess[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) {
    if (service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }
  await database?.dispose();
  database = null;
});

/** Captcha images made beforehand with the test text: the service draws random ones, and a robot cannot read them. */
async function prepare(db: FaultDatabase): Promise<string[]> {
  const app = await appOn(db, {}, { startMailWorker: false });
  const ids: string[] = [];
  for (let i = 0; i < REQUESTS; i++) ids.push((await createChallenge(app.ctx.db, systemClock, { ttlMinutes: 30, text: () => CAPTCHA_TEXT })).id);
  await app.close();
  return ids;
}

type Outcome = number | 'no answer';

describe.each(DATABASE_KINDS)('the service killed with SIGKILL during a load (%s)', (kind) => {
  it('keeps every accepted request whole, and its outbox resumes after a restart', { timeout: 120_000 }, async () => {
    database = await faultDatabase(kind);
    const captchas = await prepare(database);
    const port = await freePort();
    const env = { DATA_DIR: database.dataDir, DATABASE_URL: database.url, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, RATE_LIMIT_PER_MINUTE: '100000', MAIL_POLL_MS: '100' };
    const first = startService(env);
    services.push(first);
    await untilReady(first);

    const outcomes = new Map<string, Outcome>();
    let accepted = 0;
    let killedAt = 0;
    let next = 0;
    const applicant = async () => {
      while (next < REQUESTS && killedAt === 0) {
        const i = next++;
        const email = `charge${i}@saint-etienne.fr`;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/registrations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(validRegistration({ email, captchaId: captchas[i]! })),
          });
          await res.arrayBuffer();
          outcomes.set(email, res.status);
          if (res.status === 202 && ++accepted === KILL_AFTER_ACCEPTED) {
            killedAt = Date.now();
            first.child.kill('SIGKILL');
          }
        } catch {
          outcomes.set(email, 'no answer');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, applicant));
    expect(await first.exited).toBe('SIGKILL');
    const statuses = [...outcomes.values()];
    // Only acceptances, and requests cut short by the kill: the kill came in the middle of the load.
    expect(new Set(statuses)).toEqual(new Set([202, 'no answer']));
    const acceptedEmails = [...outcomes].filter(([, s]) => s === 202).map(([email]) => email);
    expect(acceptedEmails.length).toBeGreaterThanOrEqual(KILL_AFTER_ACCEPTED);

    const second = startService(env);
    services.push(second);
    await untilReady(second);
    const check = openDatabase(database.url);
    try {
      const db = check.db;
      const registrations = await db.selectFrom('registrations').selectAll().execute();
      const accounts = await db.selectFrom('accounts').selectAll().where('role', '=', 'partner').execute();
      const tokens = await db.selectFrom('tokens').select('account_id').execute();
      const outbox = await db.selectFrom('outbox').selectAll().execute();

      // Every request answered "accepted" is there, once.
      const registered = registrations.map((r) => r.email);
      for (const email of acceptedEmails) expect(registered.filter((e) => e === email), email).toHaveLength(1);
      // No half-written request: each one stored has its account, its link and its email, and nothing is orphaned.
      expect(new Set(registered).size).toBe(registered.length);
      for (const registration of registrations) {
        const account = accounts.find((a) => a.id === registration.account_id);
        expect(registration.status, registration.email).toBe('approved');
        expect(account?.email, registration.email).toBe(registration.email);
        expect(tokens.filter((t) => t.account_id === account!.id), registration.email).toHaveLength(1);
        expect(outbox.filter((m) => m.recipient === registration.email), registration.email).toHaveLength(1);
      }
      expect(accounts).toHaveLength(registrations.length);
      expect(outbox).toHaveLength(registrations.length);

      // The outbox resumes: every message leaves, but the one (at most) the killed worker held, which waits for its lease to end.
      const mailDir = path.join(database.dataDir, 'mail');
      const deadline = Date.now() + 60_000;
      let pending = outbox;
      while (Date.now() < deadline) {
        pending = await db.selectFrom('outbox').selectAll().where('sent_at', 'is', null).execute();
        if (pending.every((m) => m.locked_until !== null && Date.parse(m.locked_until) > Date.now())) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const held = (m: (typeof pending)[number]) => ({ attempts: m.attempts, lockedUntil: m.locked_until, nextAttemptAt: m.next_attempt_at, lastError: m.last_error });
      expect(pending.length, `still unsent after a minute: ${JSON.stringify(pending.map(held))}, killed at ${new Date(killedAt).toISOString()}`).toBeLessThanOrEqual(1);
      for (const held of pending) expect(Date.parse(held.locked_until!)).toBeLessThanOrEqual(killedAt + MAIL_LEASE_MS);
      const sent = await db.selectFrom('outbox').select('id').where('sent_at', 'is not', null).execute();
      expect(sent.length + pending.length).toBe(outbox.length);
      const dropped = fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml'));
      for (const { id } of sent) expect(dropped.filter((f) => f.includes(id)), id).toHaveLength(1);
      expect(dropped.length - sent.length).toBeLessThanOrEqual(pending.length);

      console.info(
        `${kind}: ${acceptedEmails.length} accepted before SIGKILL, ${statuses.length - acceptedEmails.length} cut short, ` +
          `${registrations.length - acceptedEmails.length} stored but unanswered; after restart ${sent.length}/${outbox.length} emails sent, ${pending.length} held by the dead worker's lease`,
      );
      // And the restarted service takes new requests.
      const after = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(after.status).toBe(200);
    } finally {
      await check.close();
    }
  });
});
