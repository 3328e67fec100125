import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClock } from '../support/clock.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { validRegistration } from '../support/test-app.js';
import { freePort } from './service-process.js';
import { appOn, DATABASE_KINDS, faultDatabase, type FaultDatabase } from './support.js';

// The mail relay goes down while applicants keep registering on two
// instances (each with its own mail worker running on its own schedule),
// then comes back while more arrive. test/server/mail covers the same with
// one instance driven by hand; here the workers run on their own. Only their
// clock is moved on, a few seconds at a time (well inside a delivery's
// one-minute lease), so that retries come due without waiting for them.
const BEFORE = 24;
const DURING = 24;
const AFTER = 12;

let database: FaultDatabase | null = null;
const apps: FastifyInstance[] = [];
const sink = new SmtpSink();
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await sink.stop();
  sink.received.length = 0;
  sink.port = 0;
  await database?.dispose();
  database = null;
});

async function register(url: string, email: string): Promise<number> {
  const captcha = (await (await fetch(`${url}/api/captcha`, { method: 'POST' })).json()) as { id: string };
  const res = await fetch(`${url}/api/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(validRegistration({ email, captchaId: captcha.id })),
  });
  return res.status;
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string, tick: () => void = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    tick();
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.each(DATABASE_KINDS)('SMTP down while requests come in, then back (%s)', (kind) => {
  it('delivers every email exactly once', { timeout: 90_000 }, async () => {
    database = await faultDatabase(kind);
    sink.port = await freePort();
    const clock = new TestClock();
    for (let i = 0; i < 2; i++) {
      const app = await appOn(database, { SMTP_URL: sink.url, MAIL_POLL_MS: '100' }, { clock });
      await app.listen({ port: 0, host: '127.0.0.1' });
      apps.push(app);
    }
    const urls = apps.map((app) => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
    const emails = Array.from({ length: BEFORE + DURING + AFTER }, (_, i) => `relais${i}@saint-etienne.fr`);
    const send = (from: number, to: number) => Promise.all(emails.slice(from, to).map((email, i) => register(urls[i % 2]!, email)));
    const db = apps[0]!.ctx.db;
    const failedAttempts = async () => (await db.selectFrom('outbox').select('id').where('last_error', 'is not', null).where('sent_at', 'is', null).execute()).length;

    // Relay down: requests are accepted all the same, and the workers' attempts fail.
    expect(await send(0, BEFORE)).toEqual(Array(BEFORE).fill(202));
    await until(async () => (await failedAttempts()) === BEFORE, 10_000, 'a failed attempt on every queued email');
    const during = send(BEFORE, BEFORE + DURING);
    await new Promise((r) => setTimeout(r, 200));
    // Relay back while requests are still arriving.
    await sink.start();
    expect(await during).toEqual(Array(DURING).fill(202));
    expect(await send(BEFORE + DURING, emails.length)).toEqual(Array(AFTER).fill(202));

    // Failed attempts retry after 5 s, then 10 s, 20 s… of the workers' clock.
    await until(() => sink.received.length >= emails.length, 40_000, 'every email', () => clock.advance(2_000));
    // More polling rounds of both workers, retries due: a duplicate would show now.
    for (let i = 0; i < 4; i++) {
      clock.advance(2_000);
      await new Promise((r) => setTimeout(r, 250));
    }
    const delivered = sink.received.map((m) => m.envelopeTo[0]!).sort();
    expect(delivered).toEqual([...emails].sort());
    const unsent = await db.selectFrom('outbox').select('id').where('sent_at', 'is', null).execute();
    expect(unsent).toEqual([]);
    const retried = await db.selectFrom('outbox').select('attempts').where('attempts', '>', 1).execute();
    expect(retried.length).toBeGreaterThanOrEqual(BEFORE);
  });
});
