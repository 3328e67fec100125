import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../server/mail/mail.worker.js';
import { setPasswordLink } from '../../support/mail-drop.js';
import { SmtpSink } from '../../support/smtp-sink.js';
import { newCaptcha, startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';

let t: TestApp | null = null;
const sink = new SmtpSink();
afterEach(async () => {
  await t?.close();
  await sink.stop();
  sink.received.length = 0;
  sink.port = 0;
});

async function register(app: TestApp, email: string) {
  const res = await app.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email, captchaId: await newCaptcha(app.app) }) });
  expect(res.statusCode).toBe(202);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('email through a real SMTP server', () => {
  it('delivers the set-password email, text and HTML, with its "cliquez ici" link', async () => {
    await sink.start();
    t = await startTestApp({ SMTP_URL: sink.url });
    await register(t, 'claire.martin@saint-etienne.fr');
    expect(await t.app.mailWorker.deliverDue()).toBe(1);
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.envelopeTo).toEqual(['claire.martin@saint-etienne.fr']);
    expect(mail.subject).toBe('ANRUSCOPE – Déterminez votre mot de passe');
    expect(mail.text).toMatch(/Bonjour Madame Martin/);
    expect(setPasswordLink(mail)).toMatch(/^http:\/\/guichet\.test\/#\/mot-de-passe\?jeton=[\w-]{43}$/);
  });

  it('keeps mail through an SMTP outage and delivers each message once when the server is back', async () => {
    sink.port = await freePort();
    t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    await register(t, 'a@saint-etienne.fr');
    await register(t, 'b@saint-etienne.fr');

    expect(await t.app.mailWorker.deliverDue()).toBe(0);
    const failed = await t.app.ctx.db.selectFrom('outbox').selectAll().execute();
    expect(failed.every((m) => m.sent_at === null && m.attempts === 1 && m.last_error)).toBe(true);

    await sink.start();
    expect(await t.app.mailWorker.deliverDue()).toBe(0); // not due yet: retries wait
    t.clock.advance(retryDelayMs(1) + 1);
    expect(await t.app.mailWorker.deliverDue()).toBe(2);
    t.clock.advance(3_600_000);
    expect(await t.app.mailWorker.deliverDue()).toBe(0);
    expect(sink.received.map((m) => m.envelopeTo[0]).sort()).toEqual(['a@saint-etienne.fr', 'b@saint-etienne.fr']);
  });
});

describe('retry schedule', () => {
  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000]);
    expect(retryDelayMs(30)).toBe(3_600_000);
  });
});
