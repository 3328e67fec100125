import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskEnrolled, KioskView } from '../../../common/api/staff.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { newCaptcha, startTestApp, TRUSTED_SIREN, validRegistration, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let admin: Person;
beforeEach(async () => {
  t = await startTestApp();
  admin = await personWithRole(t.app, 'admin');
});
afterEach(async () => {
  await t.close();
});

/** What a kiosk kept while the service was unreachable: the wizard without its captcha. */
function offlineRegistration(email = 'lea.borne@saint-etienne.fr') {
  return {
    identity: { civility: 'Mme', lastName: 'Borne', firstName: 'Léa', jobTitle: 'Cheffe de projet renouvellement urbain', quartiersFertiles: false },
    organisation: { siren: TRUSTED_SIREN },
    contact: { email, phone: '04 77 48 77 48' },
    confirm: { termsAccepted: true },
  };
}

async function enrol(name = 'Hall de la mairie', by: Person = admin) {
  return t.app.inject({ method: 'POST', url: '/api/staff/kiosks', cookies: by.cookies, payload: { name } });
}

async function enrolled(name?: string): Promise<KioskEnrolled> {
  const res = await enrol(name);
  expect(res.statusCode).toBe(201);
  return res.json();
}

function replay(key: string | null, options: { idempotencyKey?: string | null; capturedAt?: string | null; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (key !== null) headers['x-guichet-kiosk-key'] = key;
  if (options.idempotencyKey !== null) headers['idempotency-key'] = options.idempotencyKey ?? 'borne-0001-abcd';
  if (options.capturedAt !== null) headers['x-guichet-captured-offline'] = options.capturedAt ?? '2026-12-01T09:15:00.000Z';
  return t.app.inject({ method: 'POST', url: '/api/kiosk/registrations', headers, payload: (options.body ?? offlineRegistration()) as object });
}

async function count(table: 'registrations' | 'outbox') {
  const row = await t.app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('enrolling a kiosk', () => {
  it('answers its key once, with where to paste it, and stores only the key\'s SHA-256', async () => {
    const { kiosk, key, message } = await enrolled();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(message).toMatch(/Copiez sa clé maintenant et collez-la dans les paramètres du poste de la borne/);
    expect(kiosk).toMatchObject({ name: 'Hall de la mairie', createdBy: 'Test Admin', lastSeenAt: null, revokedAt: null });

    const rows = await t.app.ctx.db.selectFrom('kiosk_devices').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(rows[0]!.created_by).toBe(admin.id);
    expect(JSON.stringify(rows)).not.toContain(key);

    const list = await t.app.inject({ method: 'GET', url: '/api/staff/kiosks', cookies: admin.cookies });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([kiosk]);
    expect(list.body).not.toContain(key);
  });

  it('gives two enrolments two different keys, and refuses a second active kiosk of the same name', async () => {
    const first = await enrolled('Accueil');
    const second = await enrolled('Hall');
    expect(first.key).not.toBe(second.key);
    const again = await enrol('Accueil');
    expect(again.statusCode).toBe(409);
    expect(again.json().fields.name).toMatch(/Une borne active s'appelle déjà « Accueil »/);
  });

  it('is for admins only', async () => {
    for (const role of ['partner', 'agent', 'approver'] as const) {
      const res = await enrol('Borne pirate', await personWithRole(t.app, role));
      expect(res.statusCode, role).toBe(403);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/staff/kiosks', payload: { name: 'Borne pirate' } })).statusCode).toBe(401);
    expect(await t.app.ctx.db.selectFrom('kiosk_devices').selectAll().execute()).toEqual([]);
  });

  it('says in French what is wrong with the name', async () => {
    const res = await enrol('  ');
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual({ name: 'Donnez un nom à la borne (par exemple son emplacement).' });
  });

  it('is recorded in the audit trail, and so is a revocation', async () => {
    const { kiosk } = await enrolled();
    await t.app.inject({ method: 'POST', url: `/api/staff/kiosks/${kiosk.id}/revoke`, cookies: admin.cookies });
    const events = await t.app.ctx.db.selectFrom('audit_events').selectAll().where('subject_type', '=', 'kiosk').orderBy('id').execute();
    expect(events.map((e) => [e.action, e.actor, e.subject_id, JSON.parse(e.details)])).toEqual([
      ['kiosk_enrolled', admin.id, kiosk.id, { name: 'Hall de la mairie' }],
      ['kiosk_revoked', admin.id, kiosk.id, { name: 'Hall de la mairie' }],
    ]);
  });
});

describe('a kiosk replaying its applicants\' offline requests', () => {
  it('with its key: the request is taken without captcha, on the kiosk channel, and waits for an approver even from a trusted organisation', async () => {
    const { kiosk, key } = await enrolled();
    t.clock.advance(60_000);
    const res = await replay(key);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ outcome: 'pending_approval' });

    const registration = await t.app.ctx.db.selectFrom('registrations').selectAll().executeTakeFirstOrThrow();
    expect(registration).toMatchObject({
      status: 'pending',
      channel: 'kiosk',
      trusted: 0,
      entered_by: null,
      email: 'lea.borne@saint-etienne.fr',
      idempotency_key: 'borne-0001-abcd',
    });
    expect(registration.trust_reason).toBe('Saisie hors ligne le 2026-12-01T09:15:00.000Z sur la borne « Hall de la mairie » : à vérifier par un valideur');
    expect(await t.app.ctx.db.selectFrom('accounts').select('id').where('role', '=', 'partner').execute()).toEqual([]);

    const [seen] = (await t.app.inject({ method: 'GET', url: '/api/staff/kiosks', cookies: admin.cookies })).json() as KioskView[];
    expect(seen).toMatchObject({ id: kiosk.id, lastSeenAt: t.clock.now().toISOString() });
  });

  it('sent twice with one idempotency key: one request, the same answer', async () => {
    const { key } = await enrolled();
    const first = await replay(key);
    const second = await replay(key);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(second.json()).toEqual(first.json());
    expect(await count('registrations')).toBe(1);
  });

  it('without a key, with a wrong one or a revoked one: 401, one French answer for all, and nothing stored', async () => {
    const { kiosk, key } = await enrolled();
    const revoke = await t.app.inject({ method: 'POST', url: `/api/staff/kiosks/${kiosk.id}/revoke`, cookies: admin.cookies });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toMatchObject({ id: kiosk.id, revokedAt: expect.any(String) });

    const answers = [
      await replay(null),
      await replay('x'.repeat(43)),
      await replay('not a key at all'),
      await replay(key),
      // A staff session is no kiosk key.
      await t.app.inject({
        method: 'POST',
        url: '/api/kiosk/registrations',
        cookies: admin.cookies,
        headers: { 'idempotency-key': 'borne-0002-abcd', 'x-guichet-captured-offline': '2026-12-01T09:15:00.000Z' },
        payload: offlineRegistration(),
      }),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: 'kiosk_not_enrolled',
        message: expect.stringMatching(/^Cette borne n'est pas reconnue par le service/),
      });
    }
    expect(await count('registrations')).toBe(0);
    expect(await count('outbox')).toBe(0);
  });

  it('needs the idempotency key and the capture date, and a request without captcha only', async () => {
    const { key } = await enrolled();
    const noKey = await replay(key, { idempotencyKey: null });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().fields).toMatchObject({ 'idempotency-key': "La clé d'idempotence est obligatoire." });

    for (const capturedAt of [null, 'hier', '2026-13-45T99:00:00Z']) {
      const res = await replay(key, { capturedAt });
      expect(res.statusCode, String(capturedAt)).toBe(400);
      expect(res.json().message).toMatch(/X-Guichet-Captured-Offline doit donner la date de la saisie hors ligne/);
    }

    const withCaptcha = await replay(key, { body: { ...offlineRegistration(), confirm: { termsAccepted: true, captchaId: 'x', captchaAnswer: 'y' } } });
    expect(withCaptcha.statusCode).toBe(400);
    expect(await count('registrations')).toBe(0);
  });

  it('cannot be had by claiming to be a kiosk on the public route: it still wants its captcha', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/registrations',
      headers: { 'x-guichet-channel': 'kiosk', 'x-guichet-captured-offline': '2026-12-01T09:15:00.000Z', 'idempotency-key': 'borne-0003-abcd' },
      payload: offlineRegistration(),
    });
    expect(res.statusCode).toBe(400);
    expect(await count('registrations')).toBe(0);
  });
});

describe("a kiosk's applicant sending a request live", () => {
  it("is recorded as the kiosk's when its key comes along, and still answers the captcha", async () => {
    const { kiosk, key } = await enrolled('Accueil de la préfecture');
    const send = async (captchaId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/registrations',
        headers: { 'x-guichet-kiosk-key': key, 'idempotency-key': 'borne-live-0001' },
        payload: validRegistration({ captchaId, email: 'lea.live@saint-etienne.fr' }),
      });
    expect((await send('captcha-inconnu')).statusCode).toBe(400);
    expect(await count('registrations')).toBe(0);

    expect((await send(await newCaptcha(t.app))).statusCode).toBe(202);
    const registration = await t.app.ctx.db.selectFrom('registrations').select(['channel']).executeTakeFirstOrThrow();
    expect(registration.channel).toBe('kiosk');
    const row = await t.app.ctx.db.selectFrom('kiosk_devices').select('last_seen_at').where('id', '=', kiosk.id).executeTakeFirstOrThrow();
    expect(row.last_seen_at).not.toBeNull();
  });

  it('is a web request once the kiosk is revoked', async () => {
    const { kiosk, key } = await enrolled();
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/kiosks/${kiosk.id}/revoke`, cookies: admin.cookies })).statusCode).toBeLessThan(300);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/registrations',
      headers: { 'x-guichet-kiosk-key': key },
      payload: validRegistration({ captchaId: await newCaptcha(t.app) }),
    });
    expect(res.statusCode).toBe(202);
    expect((await t.app.ctx.db.selectFrom('registrations').select('channel').executeTakeFirstOrThrow()).channel).toBe('web');
  });
});

describe('revoking a kiosk', () => {
  it('is for admins only, once, and says so for an unknown kiosk', async () => {
    const { kiosk } = await enrolled();
    const approver = await personWithRole(t.app, 'approver');
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/kiosks/${kiosk.id}/revoke`, cookies: approver.cookies })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/kiosks/${kiosk.id}/revoke`, cookies: admin.cookies })).statusCode).toBe(200);
    const twice = await t.app.inject({ method: 'POST', url: `/api/staff/kiosks/${kiosk.id}/revoke`, cookies: admin.cookies });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('La borne « Hall de la mairie » est déjà révoquée.');
    const unknown = await t.app.inject({ method: 'POST', url: '/api/staff/kiosks/00000000-0000-4000-8000-000000000000/revoke', cookies: admin.cookies });
    expect(unknown.statusCode).toBe(404);
    // A revoked kiosk's name is free again, for the machine enrolled anew.
    expect((await enrol()).statusCode).toBe(201);
  });
});
