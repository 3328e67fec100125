import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRESH_LINK_MINUTES } from '../../../server/accounts/accounts.service.js';
import { TABLES } from '../../../server/db/copy.js';
import { HOUR } from '../../support/clock.js';
import { setPasswordLink, tokenOf } from '../../support/mail-drop.js';
import { CAPTCHA_TEXT, newCaptcha, startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';

// What a stolen database (a backup, a copy made with `npm run db -- copy`)
// gives away: no link, no session, no captcha answer, no password.
let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ TOKEN_TTL_HOURS: '2' });
});
afterEach(async () => {
  await t.close();
});

const PASSWORD = 'Renouveau-Urbain-2026';

/** Every row of every table but the directory's, as one text to search. */
async function databaseText(): Promise<string> {
  const parts: string[] = [];
  for (const { name } of TABLES.filter((table) => !['organisations', 'staging_units', 'staging_head_offices'].includes(table.name))) {
    parts.push(JSON.stringify(await t.app.ctx.db.selectFrom(name).selectAll().execute()));
  }
  return parts.join('\n');
}

function post(url: string, payload: object) {
  return t.app.inject({ method: 'POST', url, payload });
}

async function registerAndReadLink(email = 'claire.martin@saint-etienne.fr'): Promise<string> {
  const res = await post('/api/registrations', validRegistration({ email, captchaId: await newCaptcha(t.app) }));
  expect(res.statusCode).toBe(202);
  const mails = await t.deliverAndRead();
  return tokenOf(setPasswordLink(mails.find((m) => m.to === email)!));
}

describe('secrets at rest', () => {
  it('keeps no set-password link, session token, captcha answer or password in the database once the email has left', async () => {
    const token = await registerAndReadLink();
    expect(await databaseText()).not.toContain(token);

    expect((await post('/api/password', { token, password: PASSWORD, confirmation: PASSWORD })).statusCode).toBe(200);
    const session = (await post('/api/session', { email: 'claire.martin@saint-etienne.fr', password: PASSWORD })).cookies.find((c) => c.name === 'guichet_session')!;
    const text = await databaseText();
    for (const secret of [token, session.value, CAPTCHA_TEXT, PASSWORD]) expect(text).not.toContain(secret);
  });
});

describe('set-password links', () => {
  it('are spent once even when two tabs submit at the same moment', async () => {
    const token = await registerAndReadLink();
    const answers = await Promise.all([
      post('/api/password', { token, password: PASSWORD, confirmation: PASSWORD }),
      post('/api/password', { token, password: 'Autre-Mot-De-Passe-9', confirmation: 'Autre-Mot-De-Passe-9' }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 410]);
    const winner = answers[0]!.statusCode === 200 ? PASSWORD : 'Autre-Mot-De-Passe-9';
    const loser = winner === PASSWORD ? 'Autre-Mot-De-Passe-9' : PASSWORD;
    expect((await post('/api/session', { email: 'claire.martin@saint-etienne.fr', password: winner })).statusCode).toBe(200);
    expect((await post('/api/session', { email: 'claire.martin@saint-etienne.fr', password: loser })).statusCode).toBe(401);
  });

  it('expire after TOKEN_TTL_HOURS, and the refusal says what to do', async () => {
    const token = await registerAndReadLink();
    t.clock.advance(2 * HOUR - 60_000);
    expect((await post('/api/password/token-status', { token })).statusCode).toBe(200);
    t.clock.advance(2 * 60_000);
    const status = await post('/api/password/token-status', { token });
    expect(status.statusCode).toBe(410);
    expect(status.json()).toMatchObject({ error: 'token_expired', message: expect.stringMatching(/Demandez un nouveau lien/) });
    expect((await post('/api/password', { token, password: PASSWORD, confirmation: PASSWORD })).statusCode).toBe(410);
  });

  it('a new link retires the older ones: only the latest email works, and an older link says so', async () => {
    const first = await registerAndReadLink();
    // Past the minutes during which a new request leaves a fresh link alone.
    t.clock.advance(FRESH_LINK_MINUTES * 60_000 + 1);
    await post('/api/password/new-link', { email: 'claire.martin@saint-etienne.fr' });
    const [latest] = (await t.deliverAndRead()).slice(1).map((m) => tokenOf(setPasswordLink(m)));
    const refused = await post('/api/password/token-status', { token: first });
    expect(refused.statusCode).toBe(410);
    expect(refused.json()).toMatchObject({ error: 'token_superseded', message: expect.stringMatching(/lien plus récent/) });
    expect((await post('/api/password', { token: first, password: PASSWORD, confirmation: PASSWORD })).statusCode).toBe(410);
    expect((await post('/api/password', { token: latest!, password: PASSWORD, confirmation: PASSWORD })).statusCode).toBe(200);
  });

  it('a password-reset link is single use too, and using one spends every other link of the account', async () => {
    const first = await registerAndReadLink();
    expect((await post('/api/password', { token: first, password: PASSWORD, confirmation: PASSWORD })).statusCode).toBe(200);
    await post('/api/password/new-link', { email: 'claire.martin@saint-etienne.fr' });
    t.clock.advance(FRESH_LINK_MINUTES * 60_000 + 1);
    await post('/api/password/new-link', { email: 'claire.martin@saint-etienne.fr' });
    const links = (await t.deliverAndRead()).slice(1).map((m) => tokenOf(setPasswordLink(m)));
    expect(links).toHaveLength(2);
    const [older, newer] = links as [string, string];
    expect((await post('/api/password', { token: newer, password: 'Nouveau-Depart-2027', confirmation: 'Nouveau-Depart-2027' })).statusCode).toBe(200);
    expect((await post('/api/password', { token: newer, password: 'Encore-Autre-2028', confirmation: 'Encore-Autre-2028' })).json()).toMatchObject({ error: 'token_used' });
    expect((await post('/api/password', { token: older, password: 'Encore-Autre-2028', confirmation: 'Encore-Autre-2028' })).json()).toMatchObject({ error: 'token_used' });
    expect((await post('/api/session', { email: 'claire.martin@saint-etienne.fr', password: 'Nouveau-Depart-2027' })).statusCode).toBe(200);
  });
});
