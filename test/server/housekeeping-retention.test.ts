import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordEvents } from '../../server/audit/audit.repository.js';
import { runHousekeeping } from '../../server/housekeeping.js';
import { HOUR } from '../support/clock.js';
import { setPasswordLink, tokenOf } from '../support/mail-drop.js';
import { personWithRole, type Person } from '../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../support/test-app.js';

// Personal data is kept for a stated period per kind (README, "Retention"),
// then housekeeping deletes it, or, in the audit trail, blanks the personal
// fields and keeps the event.
const DAY = 24 * HOUR;

let t: TestApp;
let alice: Person;
beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
  alice = await personWithRole(t.app, 'approver', 'alice');
});
afterEach(async () => {
  await t.close();
});

const db = () => t.app.ctx.db;
const retention = () => t.app.ctx.config.retention;

async function register(email: string, siren?: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email, siren, captchaId: await newCaptcha(t.app) }) });
  expect(res.statusCode).toBe(202);
  return (await db().selectFrom('registrations').select('id').where('email', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
}

function act(url: string, payload?: object) {
  return t.app.inject({ method: 'POST', url, cookies: alice.cookies, ...(payload ? { payload } : {}) });
}

const registrationIds = async () => (await db().selectFrom('registrations').select('id').orderBy('id').execute()).map((r) => r.id).sort();

describe('retention of personal data', () => {
  it('deletes rejected and cancelled requests once their period has passed since the decision, and keeps pending ones', async () => {
    const rejected = await register('rejetee@asso.fr', UNTRUSTED_ORGANISATION.siren);
    const cancelled = await register('annulee@asso.fr', UNTRUSTED_ORGANISATION.siren);
    const pending = await register('attente@asso.fr', UNTRUSTED_ORGANISATION.siren);
    const reasons = (await t.app.inject({ method: 'GET', url: '/api/staff/rejection-reasons', cookies: alice.cookies })).json();
    expect((await act(`/api/staff/requests/${rejected}/claim`)).statusCode).toBe(200);
    expect((await act(`/api/staff/requests/${rejected}/reject`, { reasonId: reasons[0].id, comment: 'Écrivez-nous depuis votre adresse professionnelle.' })).statusCode).toBe(200);
    expect((await act(`/api/staff/requests/${cancelled}/cancel`)).statusCode).toBe(200);

    t.clock.advance(retention().rejectedRequestsDays * DAY - HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await registrationIds()).toEqual([rejected, cancelled, pending].sort());

    t.clock.advance(2 * HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await registrationIds()).toEqual([pending]);
  });

  it('deletes an account never activated, with its request and links, once its period has passed since its last link expired; an active account stays', async () => {
    await register('jamais.active@saint-etienne.fr');
    await register('active@saint-etienne.fr');
    const mails = await t.deliverAndRead();
    const activeMail = mails.find((m) => m.to.includes('active@saint-etienne.fr') && !m.to.includes('jamais'))!;
    const password = 'Quartier-Neuf-2026';
    const set = await t.app.inject({ method: 'POST', url: '/api/password', payload: { token: tokenOf(setPasswordLink(activeMail)), password, confirmation: password } });
    expect(set.statusCode).toBe(200);
    const partners = async () => (await db().selectFrom('accounts').select('email').where('role', '=', 'partner').orderBy('email').execute()).map((a) => a.email);

    t.clock.advance(t.app.ctx.config.tokenTtlHours * HOUR + retention().unactivatedAccountsDays * DAY - HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await partners()).toEqual(['active@saint-etienne.fr', 'jamais.active@saint-etienne.fr']);

    t.clock.advance(2 * HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await partners()).toEqual(['active@saint-etienne.fr']);
    expect((await db().selectFrom('registrations').select('email').execute()).map((r) => r.email)).toEqual(['active@saint-etienne.fr']);
    expect(await db().selectFrom('tokens').innerJoin('accounts', 'accounts.id', 'tokens.account_id').select('email').where('email', '=', 'jamais.active@saint-etienne.fr').execute()).toEqual([]);
  });

  it('forgets the sign-in throttle of a client address once its period has passed', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/session', payload: { email: alice.email, password: 'Pas-le-bon-1234' } });
    expect(wrong.statusCode).toBe(401);
    const clients = async () => (await db().selectFrom('sign_in_throttle').select('client').execute()).map((r) => r.client);
    expect(await clients()).toEqual(['127.0.0.1']);

    t.clock.advance(retention().signInThrottleDays * DAY - HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await clients()).toEqual(['127.0.0.1']);

    t.clock.advance(2 * HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await clients()).toEqual([]);
  });

  it('deletes what is left of a delivered email (recipient, subject, dates) once its period has passed, and never an email still to deliver', async () => {
    await register('livre@saint-etienne.fr');
    await t.deliverAndRead();
    await register('en.attente@saint-etienne.fr');
    const recipients = async () => (await db().selectFrom('outbox').select('recipient').orderBy('recipient').execute()).map((r) => r.recipient);
    expect(await recipients()).toEqual(['en.attente@saint-etienne.fr', 'livre@saint-etienne.fr']);

    t.clock.advance(retention().sentMailDays * DAY - HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await recipients()).toEqual(['en.attente@saint-etienne.fr', 'livre@saint-etienne.fr']);

    t.clock.advance(2 * HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await recipients()).toEqual(['en.attente@saint-etienne.fr']);
  });

  it('keeps every audit event, but replaces the emails, names and client addresses in it once its period has passed', async () => {
    await register('doublon@asso.fr', UNTRUSTED_ORGANISATION.siren);
    await register('doublon@asso.fr', UNTRUSTED_ORGANISATION.siren);
    const now = t.clock.now().toISOString();
    await recordEvents(db(), now, [
      { actor: 'system', action: 'account_locked', subjectType: 'account', subjectId: alice.id, details: { minutes: 15, failures: 5, client: '203.0.113.7', emailed: true } },
      { actor: alice.id, action: 'staff_created', subjectType: 'account', subjectId: alice.id, details: { email: 'nouvel.agent@anru.fr', role: 'agent' } },
      { actor: alice.id, action: 'rejected', subjectType: 'registration', subjectId: 'r1', details: { before: 'pending', after: 'rejected', reason: 'Adresse personnelle', comment: 'Mme Durand, écrivez à durand@asso.fr' } },
      { actor: alice.id, action: 'staff_updated', subjectType: 'account', subjectId: alice.id, details: { before: { firstName: 'Alice', lastName: 'Martin', phone: '04 77 48 77 48' }, after: { note: 'vue depuis 2001:db8::1' } } },
    ]);
    const events = () => db().selectFrom('audit_events').select(['id', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'details']).orderBy('id').execute();
    const before = await events();
    const personal = /doublon@asso\.fr|203\.0\.113\.7|nouvel\.agent@anru\.fr|Durand|durand@asso\.fr|Alice|Martin|04 77 48 77 48|2001:db8::1/;
    expect(JSON.stringify(before)).toMatch(personal);

    t.clock.advance(retention().auditDays * DAY - HOUR);
    await runHousekeeping(t.app.ctx);
    expect(await events()).toEqual(before);

    t.clock.advance(2 * HOUR);
    await runHousekeeping(t.app.ctx);
    const after = await events();
    expect(after.map(({ id, at, actor, action, subject_type }) => ({ id, at, actor, action, subject_type }))).toEqual(
      before.map(({ id, at, actor, action, subject_type }) => ({ id, at, actor, action, subject_type })),
    );
    expect(JSON.stringify(after)).not.toMatch(personal);
    const byAction = new Map(after.map((e) => [e.action, e]));
    expect(byAction.get('duplicate_request_notified')?.subject_id).toBe('[pseudonymisé]');
    expect(JSON.parse(byAction.get('account_locked')!.details)).toEqual({ minutes: 15, failures: 5, client: '[pseudonymisé]', emailed: true });
    expect(JSON.parse(byAction.get('staff_created')!.details)).toEqual({ email: '[pseudonymisé]', role: 'agent' });
    expect(JSON.parse(byAction.get('rejected')!.details)).toMatchObject({ after: 'rejected', reason: 'Adresse personnelle', comment: '[pseudonymisé]' });
    // The staff member's own account id stays: who did what is the point of the trail.
    expect(byAction.get('staff_created')?.actor).toBe(alice.id);
  });
});
