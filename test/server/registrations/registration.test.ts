import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addUntrustedOrganisation,
  newCaptcha,
  startTestApp,
  TRUSTED_SIREN,
  UNTRUSTED_ORGANISATION,
  validRegistration,
  type TestApp,
} from '../../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

async function submit(body: unknown) {
  return t.app.inject({ method: 'POST', url: '/api/registrations', payload: body as object });
}

async function count(table: 'registrations' | 'accounts' | 'outbox' | 'tokens') {
  const row = await t.app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('registration of a trusted organisation', () => {
  it('creates the account, records why it was trusted and emails the set-password link', async () => {
    const res = await submit(validRegistration({ captchaId: await newCaptcha(t.app) }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ outcome: 'invitation_sent' });
    expect(res.json().message).toMatch(/un e-mail vous a été adressé/);

    const registration = await t.app.ctx.db.selectFrom('registrations').selectAll().executeTakeFirstOrThrow();
    expect(registration).toMatchObject({ status: 'approved', trusted: 1, siren: TRUSTED_SIREN, channel: 'web', phone: '+33477487748' });
    expect(registration.trust_rule_id).not.toBeNull();
    expect(registration.trust_reason).toMatch(/7210/);
    const account = await t.app.ctx.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    expect(account).toMatchObject({ email: 'claire.martin@saint-etienne.fr', status: 'invited', role: 'partner', password_hash: null });

    const mails = await t.deliverAndRead();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'claire.martin@saint-etienne.fr', subject: 'ANRUSCOPE – Déterminez votre mot de passe' });
    expect(mails[0]!.html).toContain('>cliquez ici</a>');
    expect(mails[0]!.text).toContain('http://guichet.test/#/mot-de-passe?jeton=');
  });

  it('stores only the hash of the emailed token', async () => {
    await submit(validRegistration({ captchaId: await newCaptcha(t.app) }));
    const [mail] = await t.deliverAndRead();
    const token = /jeton=([\w-]+)/.exec(mail!.text)![1]!;
    const rows = await t.app.ctx.db.selectFrom('tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("records the web channel whatever the request says: only an enrolled kiosk's key makes a kiosk request", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/registrations',
      headers: { 'x-guichet-channel': 'kiosk', 'x-guichet-kiosk-key': 'A'.repeat(43) },
      payload: validRegistration({ captchaId: await newCaptcha(t.app) }),
    });
    expect(res.statusCode).toBe(202);
    const registration = await t.app.ctx.db.selectFrom('registrations').select('channel').executeTakeFirstOrThrow();
    expect(registration.channel).toBe('web');
    const submitted = await t.app.ctx.db.selectFrom('audit_events').select('details').where('action', '=', 'submitted').executeTakeFirstOrThrow();
    expect(JSON.parse(submitted.details)).toMatchObject({ channel: 'web' });
  });
});

describe('registration of an organisation outside the trust domain', () => {
  it('stores the request as pending, creates no account and tells the applicant to wait', async () => {
    await addUntrustedOrganisation(t.app);
    const res = await submit(validRegistration({ siren: UNTRUSTED_ORGANISATION.siren, email: 'paul@asso.fr', captchaId: await newCaptcha(t.app) }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ outcome: 'pending_approval' });
    const registration = await t.app.ctx.db.selectFrom('registrations').selectAll().executeTakeFirstOrThrow();
    expect(registration).toMatchObject({ status: 'pending', trusted: 0, trust_rule_id: null, account_id: null });
    expect(registration.trust_reason).toMatch(/Aucune règle/);
    expect(await count('accounts')).toBe(0);
    const mails = await t.deliverAndRead();
    expect(mails.map((m) => m.subject)).toEqual(['ANRUSCOPE – Votre demande de compte est en cours de validation']);
  });
});

describe('no account enumeration', () => {
  it('answers a second request for a known email exactly like a new one, and emails the owner instead', async () => {
    const first = await submit(validRegistration({ captchaId: await newCaptcha(t.app) }));
    const second = await submit(validRegistration({ captchaId: await newCaptcha(t.app) }));
    expect(second.statusCode).toBe(first.statusCode);
    expect(second.json()).toEqual(first.json());
    expect(await count('registrations')).toBe(1);
    expect(await count('accounts')).toBe(1);
    const mails = await t.deliverAndRead();
    expect(mails.map((m) => m.subject)).toEqual([
      'ANRUSCOPE – Déterminez votre mot de passe',
      'ANRUSCOPE – Une demande de compte a été faite avec votre adresse',
    ]);
  });

  it('treats an email with a pending request the same way, whatever its letter case', async () => {
    await addUntrustedOrganisation(t.app);
    await submit(validRegistration({ siren: UNTRUSTED_ORGANISATION.siren, email: 'paul@asso.fr', captchaId: await newCaptcha(t.app) }));
    const again = await submit(validRegistration({ siren: UNTRUSTED_ORGANISATION.siren, email: 'Paul@Asso.FR', captchaId: await newCaptcha(t.app) }));
    expect(again.json()).toMatchObject({ outcome: 'pending_approval' });
    expect(await count('registrations')).toBe(1);
  });
});

describe('bad input', () => {
  const cases: [string, (body: ReturnType<typeof validRegistration>) => unknown, string, RegExp][] = [
    ['missing last name', (b) => ({ ...b, identity: { ...b.identity, lastName: '' } }), 'identity.lastName', /nom est obligatoire/],
    ['unknown civility', (b) => ({ ...b, identity: { ...b.identity, civility: 'Dr' } }), 'identity.civility', /civilité/],
    ['markup in the first name', (b) => ({ ...b, identity: { ...b.identity, firstName: '<img src=x>' } }), 'identity.firstName', /prénom/],
    ['SIREN with a bad check digit', (b) => ({ ...b, organisation: { siren: '214202187' } }), 'organisation.siren', /clé de contrôle/],
    ['SIREN not in the directory', (b) => ({ ...b, organisation: { siren: '732829320' } }), 'organisation.siren', /annuaire/],
    ['invalid email', (b) => ({ ...b, contact: { ...b.contact, email: 'claire@@x' } }), 'contact.email', /e-mail/],
    ['foreign phone', (b) => ({ ...b, contact: { ...b.contact, phone: '+44 20 7946 0958' } }), 'contact.phone', /téléphone/],
    ['terms not accepted', (b) => ({ ...b, confirm: { ...b.confirm, termsAccepted: false } }), 'confirm.termsAccepted', /conditions générales/],
    ['wrong type', (b) => ({ ...b, identity: { ...b.identity, lastName: { $ne: null } } }), 'identity.lastName', /nom|type/],
    ['extra field', (b) => ({ ...b, admin: true }), 'body', /inattendu/],
    ['captcha in the wrong case', (b) => ({ ...b, confirm: { ...b.confirm, captchaAnswer: 'kx7pqr' } }), 'confirm.captchaAnswer', /majuscules/],
  ];

  it.each(cases)('%s: 400 naming the field, nothing stored', async (_name, mutate, field, message) => {
    const res = await submit(mutate(validRegistration({ captchaId: await newCaptcha(t.app) })));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.fields?.[field]).toMatch(message);
    expect(body.message).toMatch(message);
    expect(await count('registrations')).toBe(0);
    expect(await count('accounts')).toBe(0);
    expect(await count('outbox')).toBe(0);
  });

  it('refuses malformed JSON and a non-object body in French', async () => {
    const broken = await t.app.inject({ method: 'POST', url: '/api/registrations', headers: { 'content-type': 'application/json' }, payload: '{"identity":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/JSON valide/);
    const array = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: [1, 2] as unknown as object });
    expect(array.statusCode).toBe(400);
    expect(array.json().message).toMatch(/objet JSON/);
  });

  it('refuses a body larger than the limit', async () => {
    const big = validRegistration({ captchaId: 'x' });
    const res = await submit({ ...big, identity: { ...big.identity, jobTitle: 'x'.repeat(100_000) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toMatch(/trop volumineuse/);
  });
});
