import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, startTestApp, TRUSTED_SIREN, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';

// Four eyes: whoever typed a request for a caller cannot be the one who
// decides it, and what makes whole categories of organisations skip approval
// is an admin's call.
let t: TestApp;
let alice: Person;
let bob: Person;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
  alice = await personWithRole(t.app, 'approver', 'alice');
  bob = await personWithRole(t.app, 'approver', 'bob');
});
afterEach(async () => {
  await t.close();
});

function act(who: Person, method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, cookies: who.cookies, ...(payload ? { payload } : {}) });
}

/** A caller's request typed by `who` on the phone, waiting for approval. */
async function enteredBy(who: Person, email: string): Promise<string> {
  const { confirm: _captcha, ...steps } = validRegistration({ email, siren: UNTRUSTED_ORGANISATION.siren, captchaId: 'unused' });
  const res = await act(who, 'POST', '/api/staff/phone-registrations', { ...steps, confirm: { termsAccepted: true } });
  expect(res.json().outcome).toBe('pending_approval');
  return (await t.app.ctx.db.selectFrom('registrations').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function firstReasonId(): Promise<string> {
  return (await act(alice, 'GET', '/api/staff/rejection-reasons')).json()[0].id;
}

const OWN_ENTRY = /Vous avez saisi cette demande vous-même : un autre valideur doit la traiter\./;

describe('deciding a request one entered oneself', () => {
  it('is refused to the approver who typed it (claim, approve, reject), in French, and left to another approver', async () => {
    const id = await enteredBy(alice, 'appelant@asso.fr');
    const reasonId = await firstReasonId();

    const seen = await act(alice, 'GET', `/api/staff/requests/${id}`);
    expect(seen.json()).toMatchObject({ enteredBy: 'Test Alice', enteredByMe: true });
    for (const [url, payload] of [
      [`/api/staff/requests/${id}/claim`, undefined],
      [`/api/staff/requests/${id}/approve`, undefined],
      [`/api/staff/requests/${id}/reject`, { reasonId, comment: '' }],
    ] as const) {
      const res = await act(alice, 'POST', url, payload);
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ error: 'own_entry', message: expect.stringMatching(OWN_ENTRY) });
    }
    const still = await t.app.ctx.db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(still).toMatchObject({ status: 'pending', claimed_by: null, decided_by: null });
    expect(await t.app.ctx.db.selectFrom('accounts').select('id').where('email', '=', 'appelant@asso.fr').execute()).toEqual([]);

    expect((await act(bob, 'GET', `/api/staff/requests/${id}`)).json().enteredByMe).toBe(false);
    expect((await act(bob, 'POST', `/api/staff/requests/${id}/claim`)).statusCode).toBe(200);
    const approved = await act(bob, 'POST', `/api/staff/requests/${id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: 'Test Bob', enteredBy: 'Test Alice' });
  });

  it('is refused to an admin too, and a rejection by another approver goes through', async () => {
    const admin = await personWithRole(t.app, 'admin', 'ada');
    const id = await enteredBy(admin, 'autre@asso.fr');
    const res = await act(admin, 'POST', `/api/staff/requests/${id}/approve`);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(OWN_ENTRY);
    const rejected = await act(bob, 'POST', `/api/staff/requests/${id}/reject`, { reasonId: await firstReasonId(), comment: 'Doublon' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', decidedBy: 'Test Bob' });
  });

  it('leaves one\'s own entries out of a bulk approval under a new SIREN rule, saying why', async () => {
    const own = await enteredBy(alice, 'a@asso.fr');
    const other = await enteredBy(bob, 'b@asso.fr');
    const created = (await act(alice, 'POST', '/api/staff/trust-rules', { kind: 'siren', value: UNTRUSTED_ORGANISATION.siren, reason: 'Partenaire conventionné' })).json();
    const result = (await act(alice, 'POST', `/api/staff/trust-rules/${created.rule.id}/approve-covered`, { ids: [own, other] })).json();
    expect(result.approved).toEqual([other]);
    expect(result.skipped).toEqual([{ id: own, message: expect.stringMatching(OWN_ENTRY) }]);
  });

  it('still lets the agent who typed a request cancel it at the caller\'s demand: cancelling decides nothing about the person', async () => {
    const agent = await personWithRole(t.app, 'agent');
    const id = await enteredBy(agent, 'annule@asso.fr');
    expect((await act(agent, 'POST', `/api/staff/requests/${id}/cancel`)).statusCode).toBe(200);
  });
});

describe('who edits the trust domain', () => {
  it('approvers add and remove SIREN rules, but legal-category rules are for admins, in French', async () => {
    const category = await act(alice, 'POST', '/api/staff/trust-rules', { kind: 'legal_category', value: '9220', reason: 'Associations déclarées partenaires' });
    expect(category.statusCode).toBe(403);
    expect(category.json()).toMatchObject({
      error: 'legal_category_admin_only',
      message: 'Seul un administrateur peut ajouter ou retirer une règle par catégorie juridique : elle couvre tous les organismes de la catégorie.',
    });
    const communes = (await act(alice, 'GET', '/api/staff/trust-rules')).json().find((r: { value: string }) => r.value === '7210');
    const removal = await act(alice, 'POST', `/api/staff/trust-rules/${communes.id}/remove`, { reason: 'Plus de confiance par défaut' });
    expect(removal.statusCode).toBe(403);
    expect(removal.json().error).toBe('legal_category_admin_only');
    expect(await t.app.ctx.db.selectFrom('trust_rules').select('value').where('kind', '=', 'legal_category').execute()).toContainEqual({ value: '7210' });

    const siren = await act(alice, 'POST', '/api/staff/trust-rules', { kind: 'siren', value: TRUSTED_SIREN, reason: 'Partenaire conventionné' });
    expect(siren.statusCode).toBe(201);
    expect((await act(alice, 'POST', `/api/staff/trust-rules/${siren.json().rule.id}/remove`, { reason: 'Convention terminée' })).statusCode).toBe(204);

    const admin = await personWithRole(t.app, 'admin');
    const byAdmin = await act(admin, 'POST', '/api/staff/trust-rules', { kind: 'legal_category', value: '9220', reason: 'Associations déclarées partenaires' });
    expect(byAdmin.statusCode).toBe(201);
    expect((await act(admin, 'POST', `/api/staff/trust-rules/${byAdmin.json().rule.id}/remove`, { reason: 'Décision de la direction' })).statusCode).toBe(204);
  });
});
