import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRESH_LINK_MINUTES } from '../../../server/accounts/accounts.service.js';
import { HOUR } from '../../support/clock.js';
import { setPasswordLink, tokenOf } from '../../support/mail-drop.js';
import { newCaptcha, startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let token: string;
const EMAIL = 'claire.martin@saint-etienne.fr';
const GOOD = 'Renouveau-Urbain-2026';

beforeEach(async () => {
  t = await startTestApp();
  await t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ captchaId: await newCaptcha(t.app) }) });
  const [mail] = await t.deliverAndRead();
  token = tokenOf(setPasswordLink(mail!));
});
afterEach(async () => {
  await t.close();
});

function post(url: string, payload: object) {
  return t.app.inject({ method: 'POST', url, payload });
}

function setPassword(password: string, confirmation = password, tok = token) {
  return post('/api/password', { token: tok, password, confirmation });
}

function signIn(password: string, email = EMAIL) {
  return post('/api/session', { email, password });
}

describe('the emailed link', () => {
  it('is recognised, then sets the password once; the account becomes active and can sign in', async () => {
    const status = await post('/api/password/token-status', { token });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({ status: 'valid', email: EMAIL, firstName: 'Claire' });

    expect((await signIn(GOOD)).statusCode).toBe(401);
    const res = await setPassword(GOOD);
    expect(res.statusCode).toBe(200);
    const account = await t.app.ctx.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    expect(account.status).toBe('active');
    expect(account.password_hash).toMatch(/^\$argon2id\$/);

    const session = await signIn(GOOD);
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ email: EMAIL, firstName: 'Claire', lastName: 'Martin', role: 'partner' });
    const cookie = session.cookies.find((c) => c.name === 'guichet_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api' });

    const me = await t.app.inject({ method: 'GET', url: '/api/session', cookies: { guichet_session: cookie!.value } });
    expect(me.statusCode).toBe(200);
    const out = await t.app.inject({ method: 'DELETE', url: '/api/session', cookies: { guichet_session: cookie!.value } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/session', cookies: { guichet_session: cookie!.value } });
    expect(after.statusCode).toBe(401);
  });

  it('cannot be used twice', async () => {
    expect((await setPassword(GOOD)).statusCode).toBe(200);
    const again = await setPassword('Autre-Mot-De-Passe-9');
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ error: 'token_used' });
    expect((await post('/api/password/token-status', { token })).json()).toMatchObject({ error: 'token_used' });
    expect((await signIn('Autre-Mot-De-Passe-9')).statusCode).toBe(401);
  });

  it('expires after 72 hours by default', async () => {
    t.clock.advance(71 * HOUR);
    expect((await post('/api/password/token-status', { token })).statusCode).toBe(200);
    t.clock.advance(2 * HOUR);
    const res = await setPassword(GOOD);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ error: 'token_expired' });
    expect(res.json().message).toMatch(/expiré/);
  });

  it('rejects an unknown token without revealing anything', async () => {
    const res = await post('/api/password/token-status', { token: 'x'.repeat(43) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'token_invalid' });
  });
});

describe('password rules on the service', () => {
  it.each([
    ['too short', 'Abcdef1', /au moins 9 caractères/],
    ['no digit', 'Abcdefghij', /au moins un chiffre/],
    ['no uppercase', 'abcdefgh12', /majuscule/],
    ['no lowercase', 'ABCDEFGH12', /minuscule/],
    ['a common password', 'Password123', /plus courants/],
    ['a common word with digits', 'Marseille2024!', /plus courants/],
    ['the person\'s own name', 'ClaireMartin9', /ni votre nom/],
  ])('refuses %s and leaves the link usable', async (_name, password, message) => {
    const res = await setPassword(password);
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.password).toMatch(message);
    expect((await post('/api/password/token-status', { token })).statusCode).toBe(200);
  });

  it('refuses two different entries', async () => {
    const res = await setPassword(GOOD, `${GOOD}x`);
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.confirmation).toMatch(/pas identiques/);
  });

  it('accepts a 64-character passphrase', async () => {
    const phrase = 'Quand le tram 4 arrive place Bellevue il reste 9 minutes avant 8h';
    expect(phrase.length).toBeGreaterThanOrEqual(64);
    expect((await setPassword(phrase)).statusCode).toBe(200);
    expect((await signIn(phrase)).statusCode).toBe(200);
  });
});

describe('asking for a new link', () => {
  it('sends a working link to a known address and answers an unknown one identically', async () => {
    t.clock.advance(100 * HOUR);
    const known = await post('/api/password/new-link', { email: EMAIL });
    const unknown = await post('/api/password/new-link', { email: 'personne@nulle-part.fr' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.json()).toEqual(known.json());

    const mails = await t.deliverAndRead();
    expect(mails.map((m) => m.to)).toEqual([EMAIL, EMAIL]);
    const fresh = tokenOf(setPasswordLink(mails[1]!));
    expect((await setPassword(GOOD, GOOD, fresh)).statusCode).toBe(200);
    expect((await setPassword(GOOD, GOOD, token)).statusCode).toBe(410);
  });

  it(`leaves a link issued less than ${FRESH_LINK_MINUTES} minutes ago alone: no new link, no email, the first one still works`, async () => {
    const tokens = () => t.app.ctx.db.selectFrom('tokens').select('id').execute();
    t.clock.advance((FRESH_LINK_MINUTES - 1) * 60_000);
    const again = await post('/api/password/new-link', { email: EMAIL });
    expect(again.statusCode).toBe(202);
    expect(await tokens()).toHaveLength(1);
    expect(await t.deliverAndRead()).toHaveLength(1);
    expect((await post('/api/password/token-status', { token })).statusCode).toBe(200);

    t.clock.advance(90_000);
    const later = await post('/api/password/new-link', { email: EMAIL });
    expect(later.body).toBe(again.body);
    const mails = await t.deliverAndRead();
    expect(mails).toHaveLength(2);
    expect((await post('/api/password/token-status', { token })).json()).toMatchObject({ error: 'token_superseded' });
    expect((await setPassword(GOOD, GOOD, tokenOf(setPasswordLink(mails[1]!)))).statusCode).toBe(200);
  });
});

describe('sign-in', () => {
  it('gives the same answer for an unknown email and a wrong password', async () => {
    await setPassword(GOOD);
    const wrong = await signIn('Mauvais-Mot-2026');
    const unknown = await signIn(GOOD, 'inconnu@example.fr');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json().message).toBe('Identifiant ou mot de passe incorrect.');
  });

  it('ends sessions when they expire', async () => {
    await setPassword(GOOD);
    const cookie = (await signIn(GOOD)).cookies.find((c) => c.name === 'guichet_session')!;
    t.clock.advance(9 * HOUR);
    const me = await t.app.inject({ method: 'GET', url: '/api/session', cookies: { guichet_session: cookie.value } });
    expect(me.statusCode).toBe(401);
  });
});
