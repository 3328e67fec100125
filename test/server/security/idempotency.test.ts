import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskEnrolled } from '../../../common/api/staff.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, TRUSTED_SIREN, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';

// An Idempotency-Key makes a retry harmless for the client that chose it, and
// for no one else: keys are scoped to the channel and the kiosk or staff
// account sending them, bound to the request they came with, and on the
// public route answered only after the captcha is spent.
let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
});
afterEach(async () => {
  await t.close();
});

const KEY = 'cle-partagee-0001';

async function registrations() {
  return t.app.ctx.db.selectFrom('registrations').select(['email', 'channel', 'entered_by']).orderBy('created_at').orderBy('email').execute();
}

function publicSubmit(body: object, key = KEY) {
  return t.app.inject({ method: 'POST', url: '/api/registrations', headers: { 'idempotency-key': key }, payload: body });
}

function phoneBody(email: string) {
  const { confirm: _captcha, ...steps } = validRegistration({ email, siren: UNTRUSTED_ORGANISATION.siren, captchaId: 'unused' });
  return { ...steps, confirm: { termsAccepted: true } };
}

function phoneSubmit(agent: Person, email: string, key = KEY) {
  return t.app.inject({ method: 'POST', url: '/api/staff/phone-registrations', cookies: agent.cookies, headers: { 'idempotency-key': key }, payload: phoneBody(email) });
}

function kioskSubmit(kioskKey: string, email: string, key = KEY) {
  const { confirm: _captcha, ...steps } = validRegistration({ email, siren: TRUSTED_SIREN, captchaId: 'unused' });
  return t.app.inject({
    method: 'POST',
    url: '/api/kiosk/registrations',
    headers: { 'x-guichet-kiosk-key': kioskKey, 'idempotency-key': key, 'x-guichet-captured-offline': '2026-12-01T09:15:00.000Z' },
    payload: { ...steps, confirm: { termsAccepted: true } },
  });
}

async function enrolKiosk(admin: Person, name: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/staff/kiosks', cookies: admin.cookies, payload: { name } });
  return (res.json() as KioskEnrolled).key;
}

describe('idempotency keys', () => {
  it('are scoped: the same key from another channel, another kiosk or another agent is a new request', async () => {
    const admin = await personWithRole(t.app, 'admin');
    const [agnes, paul] = [await personWithRole(t.app, 'agent', 'agnes'), await personWithRole(t.app, 'agent', 'paul')];
    const [hall, gare] = [await enrolKiosk(admin, 'Hall de la mairie'), await enrolKiosk(admin, 'Gare')];

    expect((await publicSubmit(validRegistration({ email: 'web@asso.fr', siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) }))).statusCode).toBe(202);
    expect((await phoneSubmit(agnes, 'agnes@asso.fr')).statusCode).toBe(202);
    expect((await phoneSubmit(paul, 'paul@asso.fr')).statusCode).toBe(202);
    expect((await kioskSubmit(hall, 'hall@saint-etienne.fr')).statusCode).toBe(202);
    expect((await kioskSubmit(gare, 'gare@saint-etienne.fr')).statusCode).toBe(202);

    const stored = await registrations();
    expect(stored.map((r) => r.email).sort()).toEqual(['agnes@asso.fr', 'gare@saint-etienne.fr', 'hall@saint-etienne.fr', 'paul@asso.fr', 'web@asso.fr']);
    expect(stored.find((r) => r.email === 'paul@asso.fr')).toMatchObject({ channel: 'phone', entered_by: paul.id });

    // Within its own scope, the key still makes a retry harmless.
    const retried = await phoneSubmit(agnes, 'agnes@asso.fr');
    expect(retried.statusCode).toBe(202);
    expect((await kioskSubmit(hall, 'hall@saint-etienne.fr')).statusCode).toBe(202);
    expect(await registrations()).toHaveLength(5);
  });

  it('are bound to their request: the same key with another body is refused with a 409 in French, and stores nothing', async () => {
    const agent = await personWithRole(t.app, 'agent');
    expect((await phoneSubmit(agent, 'premier@asso.fr')).statusCode).toBe(202);
    const other = await phoneSubmit(agent, 'second@asso.fr');
    expect(other.statusCode).toBe(409);
    expect(other.json()).toEqual({
      error: 'idempotency_key_reused',
      message: "Cette clé d'idempotence a déjà servi pour une autre demande : une nouvelle demande doit avoir sa propre clé.",
    });

    const first = validRegistration({ email: 'web@asso.fr', siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) });
    expect((await publicSubmit(first, 'cle-web-0001')).statusCode).toBe(202);
    const changed = validRegistration({ email: 'autre@asso.fr', siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) });
    const refused = await publicSubmit(changed, 'cle-web-0001');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toBe('idempotency_key_reused');
    // The same request again, with a new captcha (a retry after a lost answer): its first answer, nothing new.
    const again = await publicSubmit({ ...first, confirm: { ...first.confirm, captchaId: await newCaptcha(t.app) } }, 'cle-web-0001');
    expect(again.statusCode).toBe(202);
    expect((await registrations()).map((r) => r.email).sort()).toEqual(['premier@asso.fr', 'web@asso.fr']);
  });

  it('on the public route, are looked up only once the captcha is spent: a replay without a valid captcha learns nothing', async () => {
    // One request for an address nobody uses (stored under its key), one for an address with an account (nothing stored).
    const known = await personWithRole(t.app, 'partner');
    const fresh = validRegistration({ email: 'inconnu@asso.fr', siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) });
    const existing = validRegistration({ email: known.email, siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) });
    const answers = [await publicSubmit(fresh, 'cle-inconnu-01'), await publicSubmit(existing, 'cle-connu-0001')];
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202]);
    expect(answers[0]!.json()).toEqual(answers[1]!.json());

    // Replayed with the spent captcha, or a wrong answer: both refused alike, before the key is looked at.
    const replays = [
      await publicSubmit(fresh, 'cle-inconnu-01'),
      await publicSubmit(existing, 'cle-connu-0001'),
      await publicSubmit({ ...fresh, confirm: { ...fresh.confirm, captchaId: await newCaptcha(t.app), captchaAnswer: 'faux00' } }, 'cle-inconnu-01'),
    ];
    for (const replay of replays) {
      expect(replay.statusCode).toBe(400);
      expect(replay.json().fields).toHaveProperty(['confirm.captchaAnswer']);
    }
    expect(replays[0]!.json()).toEqual(replays[1]!.json());
  });
});
