import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskEnrolled, QueueItem, RequestDetail } from '../../../common/api/staff.js';
import { OUTCOME_MESSAGES } from '../../../server/registrations/registrations.service.js';
import { insertVerifiedDomain } from '../../../server/trust/domains.repository.js';
import { insertTrustRuleIfAbsent } from '../../../server/trust/trust.repository.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { CAPTCHA_TEXT, newCaptcha, startTestApp, TRUSTED_SIREN, type TestApp } from '../../support/test-app.js';

// A valid SIREN outside the directory leads on: the applicant names the
// organisation, the request waits flagged « organisme hors annuaire », and an
// approver may add the organisation so that the next colleague finds it.
const LA_POSTE = '356000000';

let t: TestApp;
let approver: Person;
let agent: Person;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  approver = await personWithRole(t.app, 'approver', 'alice');
  agent = await personWithRole(t.app, 'agent', 'paul');
});
afterEach(async () => {
  await t.close();
});

function steps(overrides: { siren?: string; email?: string; offDirectory?: object | undefined } = {}) {
  return {
    identity: { civility: 'Mme', lastName: 'Durand', firstName: 'Sophie', jobTitle: 'Responsable du développement territorial', quartiersFertiles: false },
    organisation: {
      siren: overrides.siren ?? LA_POSTE,
      ...('offDirectory' in overrides ? (overrides.offDirectory ? { offDirectory: overrides.offDirectory } : {}) : { offDirectory: { name: 'La Poste', commune: '75015 Paris' } }),
    },
    contact: { email: overrides.email ?? 'sophie.durand@laposte.fr', phone: '01 55 44 00 00' },
  };
}

async function submit(body: ReturnType<typeof steps>) {
  const captchaId = await newCaptcha(t.app);
  return t.app.inject({ method: 'POST', url: '/api/registrations', payload: { ...body, confirm: { captchaId, captchaAnswer: CAPTCHA_TEXT, termsAccepted: true } } });
}

function act(who: Person, method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, cookies: who.cookies, ...(payload ? { payload } : {}) });
}

async function search(q: string) {
  return (await t.app.inject({ method: 'GET', url: '/api/directory/search', query: { q } })).json();
}

async function registration(email = 'sophie.durand@laposte.fr') {
  return t.app.ctx.db.selectFrom('registrations').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
}

const LA_POSTE_ENTRY = { name: 'La Poste', legalCategory: '5599', commune: '75015 Paris', reason: "Fiche de l'annuaire des entreprises consultée" };

describe('a valid SIREN outside the directory', () => {
  it('goes on to the queue flagged, is added by an approver (audited) and is found by the next applicant', async () => {
    expect(await search(LA_POSTE)).toMatchObject({ total: 0, notInDirectory: { siren: LA_POSTE } });

    const res = await submit(steps());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ outcome: 'pending_approval', message: OUTCOME_MESSAGES.pending_approval });
    const stored = await registration();
    expect(stored).toMatchObject({ status: 'pending', trusted: 0, off_directory: 1, siren: LA_POSTE, organisation_name: 'La Poste', organisation_commune: '75015 Paris' });
    expect(stored.trust_reason).toMatch(/^Organisme hors annuaire : SIREN 356000000 valide mais absent de l'annuaire/);
    expect(await t.app.ctx.db.selectFrom('accounts').select('id').where('email', '=', 'sophie.durand@laposte.fr').execute()).toEqual([]);

    const queue = (await act(approver, 'GET', '/api/staff/queue')).json();
    const item = queue.items.find((i: QueueItem) => i.id === stored.id);
    expect(item).toMatchObject({ offDirectory: true, organisation: { siren: LA_POSTE, name: 'La Poste', legalCategory: '' } });
    const detail: RequestDetail = (await act(approver, 'POST', `/api/staff/requests/${stored.id}/claim`)).json();
    expect(detail).toMatchObject({ offDirectory: true, directoryRecord: null, declaredCommune: '75015 Paris', trusted: false });

    // Least privilege: a help-desk agent reads requests but does not add to the directory.
    expect((await act(agent, 'POST', `/api/staff/requests/${stored.id}/organisation`, LA_POSTE_ENTRY)).statusCode).toBe(403);

    const added = await act(approver, 'POST', `/api/staff/requests/${stored.id}/organisation`, LA_POSTE_ENTRY);
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({
      offDirectory: false,
      status: 'pending',
      directoryRecord: { siren: LA_POSTE, name: 'La Poste', legalCategory: '5599', town: 'Paris', postcodes: ['75015'], departement: '75' },
    });
    expect(added.json().history.map((h: { action: string }) => h.action)).toContain('organisation_added');
    const event = await t.app.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'organisation_added').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor: approver.id, subject_type: 'organisation', subject_id: LA_POSTE });
    expect(JSON.parse(event.details)).toMatchObject({ registrationId: stored.id, name: 'La Poste', legalCategory: '5599', commune: 'Paris (75)', reason: LA_POSTE_ENTRY.reason });

    expect((await search(LA_POSTE)).results).toEqual([expect.objectContaining({ siren: LA_POSTE, name: 'La Poste', town: 'Paris' })]);
    expect((await search('la poste paris')).results.map((r: { siren: string }) => r.siren)).toContain(LA_POSTE);

    // The next colleague picks it from the directory: no flag.
    expect((await submit(steps({ email: 'marc.petit@laposte.fr', offDirectory: undefined }))).statusCode).toBe(202);
    expect(await registration('marc.petit@laposte.fr')).toMatchObject({ off_directory: 0, organisation_name: 'La Poste', trusted: 0 });

    expect((await act(approver, 'POST', `/api/staff/requests/${stored.id}/approve`)).json()).toMatchObject({ status: 'approved' });
  });

  it('may be approved without adding the organisation, which then stays outside the directory', async () => {
    await submit(steps());
    const { id } = await registration();
    const approved = await act(approver, 'POST', `/api/staff/requests/${id}/approve`);
    expect(approved.json()).toMatchObject({ status: 'approved', offDirectory: true, directoryRecord: null });
    expect(await search(LA_POSTE)).toMatchObject({ notInDirectory: { siren: LA_POSTE } });
  });

  it('refuses a forged request for a SIREN with a bad key, an unknown commune, or a name left out', async () => {
    const badKey = await submit(steps({ siren: '356000001' }));
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().fields['organisation.siren']).toMatch(/clé de contrôle incorrecte/);
    const nowhere = await submit(steps({ offDirectory: { name: 'La Poste', commune: 'Trifouilly-les-Oies' } }));
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json().fields['organisation.offDirectory.commune']).toMatch(/^Cette commune est introuvable/);
    const unnamed = await submit(steps({ offDirectory: { name: ' ', commune: 'Paris' } }));
    expect(unnamed.json().fields['organisation.offDirectory.name']).toBe("Le nom de l'organisme est obligatoire.");
    const withoutName = await submit(steps({ offDirectory: undefined }));
    expect(withoutName.json().fields['organisation.siren']).toMatch(/n'est pas dans l'annuaire/);
    expect(await t.app.ctx.db.selectFrom('registrations').select('id').execute()).toEqual([]);
  });

  it("takes the directory's organisation when the SIREN is in it, whatever name the request gives", async () => {
    const res = await submit(steps({ siren: TRUSTED_SIREN, email: 'lea@saint-etienne.fr', offDirectory: { name: 'Mairie inventée', commune: 'Lyon' } }));
    expect(res.json().outcome).toBe('invitation_sent');
    expect(await registration('lea@saint-etienne.fr')).toMatchObject({ off_directory: 0, organisation_name: 'Saint-Étienne', organisation_commune: null });
  });

  it('is never trusted, even by a rule naming its SIREN with the email domain verified', async () => {
    const now = t.clock.now().toISOString();
    await insertTrustRuleIfAbsent(t.app.ctx.db, { kind: 'siren', value: LA_POSTE, reason: 'Partenaire national', createdBy: null, createdAt: now });
    await insertVerifiedDomain(t.app.ctx.db, { siren: LA_POSTE, domain: 'laposte.fr', reason: 'test', verifiedBy: 'import', verifiedAt: now });
    const res = await submit(steps());
    expect(res.json()).toEqual({ outcome: 'pending_approval', message: OUTCOME_MESSAGES.pending_approval });
    expect(await registration()).toMatchObject({ trusted: 0, trust_rule_id: null, off_directory: 1 });
  });

  it('goes through the phone wizard, and the agent who typed it cannot add the organisation', async () => {
    const typist = await personWithRole(t.app, 'approver', 'bob');
    const res = await act(typist, 'POST', '/api/staff/phone-registrations', { ...steps(), confirm: { termsAccepted: true } });
    expect(res.json().outcome).toBe('pending_approval');
    const stored = await registration();
    expect(stored).toMatchObject({ channel: 'phone', off_directory: 1, trusted: 0 });
    const own = await act(typist, 'POST', `/api/staff/requests/${stored.id}/organisation`, LA_POSTE_ENTRY);
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toMatch(/Vous avez saisi cette demande vous-même/);
    expect((await act(approver, 'POST', `/api/staff/requests/${stored.id}/organisation`, LA_POSTE_ENTRY)).statusCode).toBe(200);
  });

  it('goes through a kiosk replay', async () => {
    const admin = await personWithRole(t.app, 'admin');
    const { key }: KioskEnrolled = (await act(admin, 'POST', '/api/staff/kiosks', { name: 'Hall' })).json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/kiosk/registrations',
      headers: { 'x-guichet-kiosk-key': key, 'idempotency-key': 'borne-0001-poste', 'x-guichet-captured-offline': '2026-12-01T09:15:00.000Z' },
      payload: { ...steps(), confirm: { termsAccepted: true } },
    });
    expect(res.json().outcome).toBe('pending_approval');
    expect(await registration()).toMatchObject({ channel: 'kiosk', off_directory: 1, organisation_name: 'La Poste' });
  });

  it('asks the approver which commune when several match, and for a category of the nomenclature', async () => {
    await submit(steps());
    const { id } = await registration();
    const ambiguous = await act(approver, 'POST', `/api/staff/requests/${id}/organisation`, { ...LA_POSTE_ENTRY, commune: 'Saint-Just' });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().fields.commune).toMatch(/^Plusieurs communes correspondent \(Saint-Just \(\d/);
    const category = await act(approver, 'POST', `/api/staff/requests/${id}/organisation`, { ...LA_POSTE_ENTRY, legalCategory: '9999' });
    expect(category.json().fields.legalCategory).toBe("Choisissez une catégorie juridique de la nomenclature de l'INSEE.");
    const noReason = await act(approver, 'POST', `/api/staff/requests/${id}/organisation`, { ...LA_POSTE_ENTRY, reason: '' });
    expect(noReason.json().fields.reason).toMatch(/^Indiquez comment l'organisme a été vérifié/);
    expect(await search(LA_POSTE)).toMatchObject({ notInDirectory: { siren: LA_POSTE } });

    expect((await act(approver, 'POST', `/api/staff/requests/${id}/organisation`, LA_POSTE_ENTRY)).statusCode).toBe(200);
    const again = await act(approver, 'POST', `/api/staff/requests/${id}/organisation`, LA_POSTE_ENTRY);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe("L'organisme de SIREN 356000000 est déjà dans l'annuaire.");
  });

  it('adds the organisation once when the same addition is sent several times at once: one answer 200, the others 409, one audit event', async () => {
    await submit(steps());
    const { id } = await registration();
    const answers = await Promise.all(Array.from({ length: 6 }, () => act(approver, 'POST', `/api/staff/requests/${id}/organisation`, LA_POSTE_ENTRY)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const events = await t.app.ctx.db.selectFrom('audit_events').select('id').where('action', '=', 'organisation_added').execute();
    expect(events).toHaveLength(1);
  });

  it('is never trusted where the organisation alone decides, and stays pending once added under a trusted category', async () => {
    await t.close();
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', TRUST_BY_ORGANISATION_ONLY: 'true' });
    approver = await personWithRole(t.app, 'approver', 'alice');
    const now = t.clock.now().toISOString();
    await insertTrustRuleIfAbsent(t.app.ctx.db, { kind: 'siren', value: LA_POSTE, reason: 'Partenaire national', createdBy: null, createdAt: now });
    expect((await submit(steps())).json().outcome).toBe('pending_approval');
    const { id } = await registration();
    await act(approver, 'POST', `/api/staff/requests/${id}/claim`);
    // A département is in the default trust domain: adding the organisation under it decides nothing.
    const added = await act(approver, 'POST', `/api/staff/requests/${id}/organisation`, { ...LA_POSTE_ENTRY, legalCategory: '7220' });
    expect(added.json()).toMatchObject({ status: 'pending', trusted: false });
    expect(await registration()).toMatchObject({ status: 'pending', trusted: 0, account_id: null });
  });
});
