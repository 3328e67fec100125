import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../support/clock.js';
import { personWithRole } from '../../support/staff.js';
import { newCaptcha, startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';

const MINUTE = 60_000;
let t: TestApp;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterEach(async () => {
  await t.close();
});

async function linkMailedTo(email: string) {
  const mail = (await t.deliverAndRead()).find((m) => m.to === email)!;
  return { mail, token: /jeton=([\w-]+)/.exec(mail.text)![1]! };
}

function tokenStatus(token: string) {
  return t.app.inject({ method: 'POST', url: '/api/password/token-status', payload: { token } });
}

describe('a password reset link', () => {
  it('works for 1 hour, says so in its email, and is stored as a reset', async () => {
    const person = await personWithRole(t.app, 'partner');
    await t.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email: person.email } });
    const { mail, token } = await linkMailedTo(person.email);
    expect(mail.text).toContain('Ce lien est valable 1 heure');
    expect(mail.text).not.toContain('72 heures');
    const stored = await t.app.ctx.db.selectFrom('tokens').select('purpose').where('account_id', '=', person.id).execute();
    expect(stored).toEqual([{ purpose: 'reset_password' }]);

    t.clock.advance(59 * MINUTE);
    expect((await tokenStatus(token)).statusCode).toBe(200);
    t.clock.advance(2 * MINUTE);
    const expired = await tokenStatus(token);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error).toBe('token_expired');
  });

  it('lasts RESET_TOKEN_TTL_MINUTES when set, and the email says how long', async () => {
    await t.close();
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', RESET_TOKEN_TTL_MINUTES: '30' });
    const person = await personWithRole(t.app, 'agent');
    await t.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email: person.email } });
    const { mail, token } = await linkMailedTo(person.email);
    expect(mail.text).toContain('Ce lien est valable 30 minutes');
    t.clock.advance(31 * MINUTE);
    expect((await tokenStatus(token)).statusCode).toBe(410);
  });
});

describe('a first invitation', () => {
  it('still works after 71 hours, as its email says', async () => {
    const email = 'claire.martin@saint-etienne.fr';
    const res = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email, captchaId: await newCaptcha(t.app) }) });
    expect(res.statusCode).toBe(202);
    const { mail, token } = await linkMailedTo(email);
    expect(mail.text).toContain('Ce lien est valable 72 heures');
    t.clock.advance(71 * HOUR);
    expect((await tokenStatus(token)).statusCode).toBe(200);
    const set = await t.app.inject({ method: 'POST', url: '/api/password', payload: { token, password: 'Nouveau-Depart-2027', confirmation: 'Nouveau-Depart-2027' } });
    expect(set.statusCode).toBe(200);
  });

  it('asked again before the password is set is still an invitation: 72 hours', async () => {
    const email = 'claire.martin@saint-etienne.fr';
    await t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email, captchaId: await newCaptcha(t.app) }) });
    await t.deliverAndRead();
    t.clock.advance(3 * MINUTE);
    await t.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email } });
    const mails = (await t.deliverAndRead()).filter((m) => m.to === email);
    const token = /jeton=([\w-]+)/.exec(mails.at(-1)!.text)![1]!;
    expect(mails.at(-1)!.text).toContain('Ce lien est valable 72 heures');
    t.clock.advance(71 * HOUR);
    expect((await tokenStatus(token)).statusCode).toBe(200);
  });
});
