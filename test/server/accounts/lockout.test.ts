import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_MAX_FAILURES, CLIENT_MAX_FAILURES, LOCK_MINUTES } from '../../../server/accounts/sessions.service.js';
import { personWithRole, STAFF_PASSWORD, type Person } from '../../support/staff.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const LOCKED_SUBJECT = 'ANRUSCOPE – Votre compte est temporairement verrouillé';
let t: TestApp;
let person: Person;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  person = await personWithRole(t.app, 'approver');
});
afterEach(async () => {
  await t.close();
});

function signIn(email: string, password: string, remoteAddress = '127.0.0.1') {
  return t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password }, remoteAddress });
}

describe('brute-force protection', () => {
  it(`locks an account after ${ACCOUNT_MAX_FAILURES} failures with the same answer as a wrong password, emails its owner, and unlocks later`, async () => {
    const wrong = [];
    for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) wrong.push(await signIn(person.email, `Mauvais-${i}-Passe`));
    const locked = await signIn(person.email, STAFF_PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(locked.json()).toEqual(wrong[0]!.json());

    const mails = await t.deliverAndRead();
    expect(mails.map((m) => `${m.to} ${m.subject}`)).toEqual([`${person.email} ${LOCKED_SUBJECT}`]);
    const audit = await t.app.ctx.db.selectFrom('audit_events').select('action').where('subject_id', '=', person.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['account_locked']);

    t.clock.advance((LOCK_MINUTES + 1) * 60_000);
    expect((await signIn(person.email, STAFF_PASSWORD)).statusCode).toBe(200);
  });

  it('a burst of concurrent wrong passwords locks the account once and sends one notice per lock', async () => {
    const burst = () => Promise.all(Array.from({ length: 20 }, (_, i) => signIn(person.email, `Mauvais-${i}-Passe`, `10.0.0.${i + 1}`)));
    expect((await burst()).map((r) => r.statusCode)).toEqual(Array(20).fill(401));
    const locks = () => t.app.ctx.db.selectFrom('audit_events').select('id').where('subject_id', '=', person.id).where('action', '=', 'account_locked').execute();
    expect(await locks()).toHaveLength(1);
    expect((await t.deliverAndRead()).map((m) => m.subject)).toEqual([LOCKED_SUBJECT]);

    t.clock.advance((LOCK_MINUTES + 1) * 60_000);
    await burst();
    expect(await locks()).toHaveLength(2);
    expect((await t.deliverAndRead()).map((m) => m.subject)).toEqual([LOCKED_SUBJECT, LOCKED_SUBJECT]);
  });

  it('a success resets the count of failures', async () => {
    for (let i = 0; i < ACCOUNT_MAX_FAILURES - 1; i++) await signIn(person.email, 'Mauvais-Passe-1');
    expect((await signIn(person.email, STAFF_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < ACCOUNT_MAX_FAILURES - 1; i++) await signIn(person.email, 'Mauvais-Passe-1');
    expect((await signIn(person.email, STAFF_PASSWORD)).statusCode).toBe(200);
  });

  it(`locks a client address after ${CLIENT_MAX_FAILURES} failures on any accounts, but not the other clients`, async () => {
    for (let i = 0; i < CLIENT_MAX_FAILURES; i++) await signIn(`inconnu${i}@example.fr`, 'Mauvais-Passe-1', '10.1.2.3');
    expect((await signIn(person.email, STAFF_PASSWORD, '10.1.2.3')).statusCode).toBe(401);
    expect((await signIn(person.email, STAFF_PASSWORD, '10.9.9.9')).statusCode).toBe(200);
    t.clock.advance((LOCK_MINUTES + 1) * 60_000);
    expect((await signIn(person.email, STAFF_PASSWORD, '10.1.2.3')).statusCode).toBe(200);
  });

  it('a forgotten password is reset by emailed link, with the same answer for unknown addresses', async () => {
    const known = await t.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email: person.email } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email: 'nobody@anru.fr' } });
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.body).toBe(unknown.body);
    const mails = await t.deliverAndRead();
    expect(mails.map((m) => m.to)).toEqual([person.email]);
    const token = /jeton=([\w-]+)/.exec(mails[0]!.text)![1]!;
    const reset = await t.app.inject({ method: 'POST', url: '/api/password', payload: { token, password: 'Nouveau-Depart-2027', confirmation: 'Nouveau-Depart-2027' } });
    expect(reset.statusCode).toBe(200);
    expect((await signIn(person.email, STAFF_PASSWORD)).statusCode).toBe(401);
    expect((await signIn(person.email, 'Nouveau-Depart-2027')).statusCode).toBe(200);
  });
});
