import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '../../../server/accounts/tokens.js';
import { HOUR } from '../../support/clock.js';
import { personWithRole, STAFF_PASSWORD, type Person } from '../../support/staff.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const MINUTE = 60_000;
const NEW_PASSWORD = 'Nouveau-Depart-2027';
let t: TestApp;

afterEach(async () => {
  await t.close();
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', ...env });
  return t;
}

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const header = [res.headers['set-cookie']].flat().find((c): c is string => typeof c === 'string' && c.startsWith('guichet_session='));
  return header!.split(';')[0]!.slice('guichet_session='.length);
}

async function signIn(person: Person, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/session', payload: { email: person.email, password: STAFF_PASSWORD, ...extra } });
  expect(res.statusCode).toBe(200);
  return cookieOf(res);
}

async function whoAmI(token: string): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/api/session', cookies: { guichet_session: token } })).statusCode;
}

function setPassword(token: string) {
  return t.app.inject({ method: 'POST', url: '/api/password', payload: { token, password: NEW_PASSWORD, confirmation: NEW_PASSWORD } });
}

describe('a password change ends every session of the account', () => {
  it('setting the password with an invitation link ends the sessions opened with the old one', async () => {
    await start();
    const person = await personWithRole(t.app, 'partner');
    const other = await personWithRole(t.app, 'partner', 'autre');
    const session = await signIn(person);
    const link = await issueToken(t.app.ctx.db, t.clock, person.id, 'set_password', 72 * HOUR);
    expect((await setPassword(link)).statusCode).toBe(200);
    expect(await whoAmI(session)).toBe(401);
    expect(await whoAmI(person.cookies.guichet_session)).toBe(401);
    expect(await whoAmI(other.cookies.guichet_session)).toBe(200);
  });

  it('resetting a forgotten password ends them too', async () => {
    await start();
    const person = await personWithRole(t.app, 'approver');
    const session = await signIn(person);
    await t.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email: person.email } });
    const mail = (await t.deliverAndRead()).find((m) => m.to === person.email)!;
    const link = /jeton=([\w-]+)/.exec(mail.text)![1]!;
    expect((await setPassword(link)).statusCode).toBe(200);
    expect(await whoAmI(session)).toBe(401);
    expect(await whoAmI(person.cookies.guichet_session)).toBe(401);
  });
});

describe('"se déconnecter partout"', () => {
  it('ends every session of the signed-in person, and only theirs', async () => {
    await start();
    const person = await personWithRole(t.app, 'agent');
    const other = await personWithRole(t.app, 'agent', 'collegue');
    const laptop = await signIn(person);
    const res = await t.app.inject({ method: 'POST', url: '/api/session/revoke-all', cookies: { guichet_session: laptop } });
    expect(res.statusCode).toBe(204);
    const cleared = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('guichet_session='))!;
    expect(cleared.toLowerCase()).toMatch(/expires=thu, 01 jan 1970|max-age=0/);
    expect(await whoAmI(laptop)).toBe(401);
    expect(await whoAmI(person.cookies.guichet_session)).toBe(401);
    expect(await whoAmI(other.cookies.guichet_session)).toBe(200);
    const audit = await t.app.ctx.db.selectFrom('audit_events').select(['action', 'actor']).where('subject_id', '=', person.id).execute();
    expect(audit).toEqual([{ action: 'signed_out_everywhere', actor: person.id }]);
  });

  it('needs a session', async () => {
    await start();
    expect((await t.app.inject({ method: 'POST', url: '/api/session/revoke-all' })).statusCode).toBe(401);
  });
});

describe('the idle timeout', () => {
  it('ends a staff session after 30 minutes without a request; requests keep it alive', async () => {
    await start();
    const session = await signIn(await personWithRole(t.app, 'approver'));
    for (let i = 0; i < 4; i++) {
      t.clock.advance(29 * MINUTE);
      expect(await whoAmI(session)).toBe(200);
    }
    t.clock.advance(31 * MINUTE);
    expect(await whoAmI(session)).toBe(401);
    t.clock.advance(-31 * MINUTE);
    expect(await whoAmI(session)).toBe(401);
  });

  it('is STAFF_IDLE_TIMEOUT_MINUTES for staff and IDLE_TIMEOUT_MINUTES for partners', async () => {
    await start({ STAFF_IDLE_TIMEOUT_MINUTES: '10', IDLE_TIMEOUT_MINUTES: '45' });
    const staff = await signIn(await personWithRole(t.app, 'agent'));
    const partner = await signIn(await personWithRole(t.app, 'partner'));
    t.clock.advance(11 * MINUTE);
    expect(await whoAmI(staff)).toBe(401);
    expect(await whoAmI(partner)).toBe(200);
    t.clock.advance(44 * MINUTE);
    expect(await whoAmI(partner)).toBe(200);
    t.clock.advance(46 * MINUTE);
    expect(await whoAmI(partner)).toBe(401);
  });

  it('gives partners 2 hours by default, well within the absolute end', async () => {
    await start({ SESSION_TTL_HOURS: '8' });
    const partner = await signIn(await personWithRole(t.app, 'partner'));
    t.clock.advance(119 * MINUTE);
    expect(await whoAmI(partner)).toBe(200);
    t.clock.advance(121 * MINUTE);
    expect(await whoAmI(partner)).toBe(401);
  });

  it("writes the last request's time at most once a minute", async () => {
    await start();
    const person = await personWithRole(t.app, 'agent');
    const session = await signIn(person);
    const lastSeen = async () =>
      (await t.app.ctx.db.selectFrom('sessions').select('last_seen_at').where('account_id', '=', person.id).where('last_seen_at', 'is not', null).execute()).map((r) => r.last_seen_at);
    const [signedInAt] = await lastSeen();
    expect(signedInAt).toBe(t.clock.now().toISOString());
    t.clock.advance(20_000);
    await whoAmI(session);
    t.clock.advance(20_000);
    await whoAmI(session);
    expect((await lastSeen())[0]).toBe(signedInAt);
    t.clock.advance(30_000);
    await whoAmI(session);
    expect((await lastSeen())[0]).toBe(t.clock.now().toISOString());
  });
});

describe('an account no longer active', () => {
  it('loses its sessions at once, cookie or bearer', async () => {
    await start();
    const person = await personWithRole(t.app, 'approver');
    const session = await signIn(person);
    await t.app.ctx.db.updateTable('accounts').set({ status: 'disabled' }).where('id', '=', person.id).execute();
    expect(await whoAmI(session)).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${person.cookies.guichet_session}` } })).statusCode).toBe(401);
  });
});
