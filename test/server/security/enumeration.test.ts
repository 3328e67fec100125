import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';
import { compareTimings } from './timing.js';

// Whether an address has an account must not show in the answer of any
// public route: not in the status, not in the message, not (beyond a
// tolerance) in the time taken. Timings compare medians of TRIES attempts of
// each kind, taken in turns.
const TRIES = 30;

/**
 * The largest gap between medians taken as "the same time": 2 ms, or a
 * quarter of the slower median. Leaks this catches: a skipped argon2
 * verification (~15 ms), a known address answered before its link is
 * issued (~3 ms on PostgreSQL), a new account's extra writes (~5 ms); the
 * jitter of a 2-core machine running both test projects stays under it.
 */
function tolerance(known: number, unknown: number): number {
  return Math.max(2, 0.25 * Math.max(known, unknown));
}

let t: TestApp;
let accounts: Person[];

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
  // One account per sign-in attempt: five failures in a row would lock one, and a locked account takes another path.
  accounts = [];
  for (let i = 0; i <= TRIES; i++) accounts.push(await personWithRole(t.app, 'partner', `partenaire${i}`));
});
afterAll(async () => {
  await t.close();
});

let client = 0;
/** A fresh client address per attempt: 20 failures from one address lock it, which would change the path taken. */
function nextClient(): string {
  client++;
  return `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`;
}

function signIn(email: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password }, remoteAddress: nextClient() });
}

function newLink(email: string) {
  return t.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email }, remoteAddress: nextClient() });
}

async function register(email: string, siren?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/registrations',
    payload: validRegistration({ email, captchaId: await newCaptcha(t.app), ...(siren ? { siren } : {}) }),
    remoteAddress: nextClient(),
  });
}

describe('sign-in does not tell which addresses have an account', () => {
  it('answers a wrong password on a real account exactly as an unknown address', async () => {
    const wrong = await signIn(accounts[0]!.email, 'Mauvais-Passe-2026');
    const unknown = await signIn('personne.inconnue@example.fr', 'Mauvais-Passe-2026');
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(unknown.body).toBe(wrong.body);
    expect(wrong.json().message).toBe('Identifiant ou mot de passe incorrect.');
    expect(unknown.headers['set-cookie']).toBeUndefined();
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it(`takes the same time, within a tolerance, for a real account and an unknown address (medians of ${TRIES})`, async () => {
    const timing = await compareTimings(
      TRIES,
      (i) => signIn(accounts[i + 1]!.email, `Mauvais-Passe-${i}`),
      (i) => signIn(`inconnu${i}@example.fr`, `Mauvais-Passe-${i}`),
    );
    console.info(`sign-in medians: known ${timing.known.toFixed(2)} ms, unknown ${timing.unknown.toFixed(2)} ms`);
    expect(timing.gap).toBeLessThanOrEqual(tolerance(timing.known, timing.unknown));
  });
});

describe('"mot de passe oublié" does not tell which addresses have an account', () => {
  it(`gives the same status and message, and takes the same time within a tolerance (medians of ${TRIES})`, async () => {
    const known = await newLink(accounts[0]!.email);
    const unknown = await newLink('personne.inconnue@example.fr');
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);

    const timing = await compareTimings(
      TRIES,
      (i) => newLink(accounts[Math.max(0, i)]!.email),
      (i) => newLink(`inconnu${i}@example.fr`),
    );
    console.info(`new-link medians: known ${timing.known.toFixed(2)} ms, unknown ${timing.unknown.toFixed(2)} ms`);
    expect(timing.gap).toBeLessThanOrEqual(tolerance(timing.known, timing.unknown));
  });
});

describe('registration does not tell which addresses have an account or a pending request', () => {
  it('answers a known address exactly as a new one, for a trusted and an untrusted organisation', async () => {
    const pending = await register('en.attente@asso.fr', UNTRUSTED_ORGANISATION.siren);
    for (const siren of [undefined, UNTRUSTED_ORGANISATION.siren]) {
      const fresh = await register(`nouvelle.${siren ?? 'commune'}@example.fr`, siren);
      const withAccount = await register(accounts[0]!.email, siren);
      const withPending = await register('en.attente@asso.fr', siren);
      expect([fresh.statusCode, withAccount.statusCode, withPending.statusCode]).toEqual([202, 202, 202]);
      expect(withAccount.body).toBe(fresh.body);
      expect(withPending.body).toBe(fresh.body);
    }
    expect(pending.statusCode).toBe(202);
  });

  it(`takes the same time, within a tolerance, for a known address and a new one (medians of ${TRIES})`, async () => {
    const timing = await compareTimings(
      TRIES,
      (i) => register(accounts[Math.max(0, i)]!.email),
      (i) => register(`nouveau${i}.${Date.now()}@example.fr`),
    );
    console.info(`registration medians: known ${timing.known.toFixed(2)} ms, unknown ${timing.unknown.toFixed(2)} ms`);
    expect(timing.gap).toBeLessThanOrEqual(tolerance(timing.known, timing.unknown));
  });
});
