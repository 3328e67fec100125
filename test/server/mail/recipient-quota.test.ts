import { afterEach, describe, expect, it } from 'vitest';
import { FRESH_LINK_MINUTES } from '../../../server/accounts/accounts.service.js';
import { ACCOUNT_MAX_FAILURES } from '../../../server/accounts/sessions.service.js';
import { PUBLIC_MAILS_PER_DAY, PUBLIC_MAILS_PER_HOUR, takeMailSlot } from '../../../server/mail/recipient-quota.js';
import { HOUR } from '../../support/clock.js';
import { personWithRole, STAFF_PASSWORD, type Person } from '../../support/staff.js';
import { CAPTCHA_TEXT, newCaptcha, startCluster, startTestApp, validRegistration, type Cluster, type TestApp } from '../../support/test-app.js';

// The public paths (a new link, "adresse déjà utilisée", a lock notice) mail
// an address at most 3 times an hour and 5 times a day, counted in the
// database; beyond, the caller gets the same answer and no email leaves.
const NEW_LINK = 'ANRUSCOPE – Déterminez votre mot de passe';
const ALREADY_REGISTERED = 'ANRUSCOPE – Une demande de compte a été faite avec votre adresse';
const LOCKED = 'ANRUSCOPE – Votre compte est temporairement verrouillé';
// Past the two minutes during which a new link request leaves the last link alone.
const SPACING = (FRESH_LINK_MINUTES + 0.5) * 60_000;

let t: TestApp | null = null;
let cluster: Cluster | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
  await cluster?.close();
  cluster = null;
});

async function start(): Promise<TestApp> {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  return t;
}

function newLink(app: TestApp, email: string) {
  return app.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email } });
}

async function register(app: TestApp, email: string) {
  return app.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email, captchaId: await newCaptcha(app.app) }) });
}

/** The subjects of the emails an address received, sorted: one delivery pass may write several within a millisecond. */
async function subjectsTo(app: TestApp, email: string): Promise<string[]> {
  return (await app.deliverAndRead()).filter((m) => m.to === email).map((m) => m.subject).sort();
}

describe('public emails per recipient', () => {
  it(`20 new-link requests in an hour send ${PUBLIC_MAILS_PER_HOUR} links; later ones, up to ${PUBLIC_MAILS_PER_DAY} in the day; all answered alike`, async () => {
    const app = await start();
    const person = await personWithRole(app.app, 'partner');
    const answers = [];
    for (let i = 0; i < 20; i++) {
      answers.push(await newLink(app, person.email));
      app.clock.advance(SPACING);
    }
    expect(await subjectsTo(app, person.email)).toEqual(Array(PUBLIC_MAILS_PER_HOUR).fill(NEW_LINK));
    const unknown = await newLink(app, 'personne.inconnue@example.fr');
    expect(answers.map((a) => [a.statusCode, a.body])).toEqual(answers.map(() => [unknown.statusCode, unknown.body]));

    app.clock.advance(HOUR);
    for (let i = 0; i < 20; i++) {
      await newLink(app, person.email);
      app.clock.advance(SPACING);
    }
    expect(await subjectsTo(app, person.email)).toEqual(Array(PUBLIC_MAILS_PER_DAY).fill(NEW_LINK));

    app.clock.advance(24 * HOUR);
    await newLink(app, person.email);
    expect(await subjectsTo(app, person.email)).toHaveLength(PUBLIC_MAILS_PER_DAY + 1);
  });

  it('20 concurrent new-link requests send one link, and it works', async () => {
    const app = await start();
    const person = await personWithRole(app.app, 'partner');
    const answers = await Promise.all(Array.from({ length: 20 }, () => newLink(app, person.email)));
    expect(new Set(answers.map((a) => `${a.statusCode} ${a.body}`)).size).toBe(1);
    const mails = (await app.deliverAndRead()).filter((m) => m.to === person.email);
    expect(mails).toHaveLength(1);
    const token = /jeton=([\w-]+)/.exec(mails[0]!.text)![1]!;
    expect((await app.app.inject({ method: 'POST', url: '/api/password/token-status', payload: { token } })).statusCode).toBe(200);
  });

  it(`20 concurrent slots asked for one address (any letter case): ${PUBLIC_MAILS_PER_HOUR} granted`, async () => {
    const app = await start();
    const db = app.app.ctx.db;
    const granted = await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.transaction().execute((trx) => takeMailSlot(trx, app.clock, i % 2 === 0 ? 'Paul@Asso.fr' : 'paul@asso.fr'))),
    );
    expect(granted.filter(Boolean)).toHaveLength(PUBLIC_MAILS_PER_HOUR);
    expect(await db.transaction().execute((trx) => takeMailSlot(trx, app.clock, 'autre@asso.fr'))).toBe(true);
  });

  it(`a known address is told of new requests at most ${PUBLIC_MAILS_PER_HOUR} times an hour, and every request is answered like a new address`, async () => {
    const app = await start();
    const person = await personWithRole(app.app, 'partner');
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await register(app, person.email));
    // Same domain as the known address: the answer depends on the organisation and the email's domain, never on the address being known.
    const fresh = await register(app, 'nouvelle.adresse@anru.fr');
    expect(answers.map((a) => [a.statusCode, a.body])).toEqual(answers.map(() => [fresh.statusCode, fresh.body]));
    expect(await subjectsTo(app, person.email)).toEqual(Array(PUBLIC_MAILS_PER_HOUR).fill(ALREADY_REGISTERED));

    app.clock.advance(HOUR);
    await register(app, person.email);
    expect(await subjectsTo(app, person.email)).toHaveLength(PUBLIC_MAILS_PER_HOUR + 1);
  });

  it('new links, "adresse déjà utilisée" notices and lock notices share one quota; the account locks all the same', async () => {
    const app = await start();
    const person = await personWithRole(app.app, 'partner');
    await newLink(app, person.email);
    app.clock.advance(SPACING);
    await newLink(app, person.email);
    await register(app, person.email);
    for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) {
      await app.app.inject({ method: 'POST', url: '/api/session', payload: { email: person.email, password: `Mauvais-${i}-Passe` } });
    }
    expect(await subjectsTo(app, person.email)).toEqual([ALREADY_REGISTERED, NEW_LINK, NEW_LINK].sort());
    const locked = await app.app.inject({ method: 'POST', url: '/api/session', payload: { email: person.email, password: STAFF_PASSWORD } });
    expect(locked.statusCode).toBe(401);
  });

  it('staff sends neither count towards the public quota nor are refused by it', async () => {
    const app = await start();
    const agent: Person = await personWithRole(app.app, 'agent');
    const email = 'lea@saint-etienne.fr';
    await register(app, email);
    const { id } = await app.app.ctx.db.selectFrom('registrations').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const resend = () => app.app.inject({ method: 'POST', url: `/api/staff/requests/${id}/resend-invitation`, cookies: agent.cookies });
    expect((await resend()).statusCode).toBe(200);

    for (let i = 0; i < 5; i++) await register(app, email);
    app.clock.advance(SPACING);
    await newLink(app, email);
    expect((await resend()).statusCode).toBe(200);
    expect(await subjectsTo(app, email)).toEqual([...Array<string>(PUBLIC_MAILS_PER_HOUR).fill(ALREADY_REGISTERED), NEW_LINK, NEW_LINK, NEW_LINK].sort());
  });
});

describe('two service instances on one database', () => {
  async function call(url: string, path: string, body?: unknown) {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: await res.text() };
  }

  async function outbox(kind: string, recipient: string): Promise<number> {
    const rows = await cluster!.apps[0]!.ctx.db.selectFrom('outbox').select('id').where('kind', '=', kind).where('recipient', '=', recipient).execute();
    return rows.length;
  }

  it('share the quota and the fresh link, whichever instance each request reaches', async () => {
    cluster = await startCluster(2, { RATE_LIMIT_PER_MINUTE: '100000' });
    const urls = cluster.urls;
    const person = await personWithRole(cluster.apps[0]!, 'partner');

    const links = await Promise.all(Array.from({ length: 20 }, (_, i) => call(urls[i % 2]!, '/api/password/new-link', { email: person.email })));
    expect(new Set(links.map((r) => `${r.status} ${r.body}`)).size).toBe(1);
    expect(await outbox('set_password', person.email)).toBe(1);

    const registrations = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const url = urls[i % 2]!;
        const captchaId = JSON.parse((await call(url, '/api/captcha')).body).id as string;
        return call(url, '/api/registrations', validRegistration({ email: person.email, captchaId, captchaAnswer: CAPTCHA_TEXT }));
      }),
    );
    expect(registrations.map((r) => r.status)).toEqual(registrations.map(() => 202));
    expect(await outbox('already_registered', person.email)).toBe(PUBLIC_MAILS_PER_HOUR - 1);
  });
});
