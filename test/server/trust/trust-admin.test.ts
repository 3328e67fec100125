import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let approver: Person;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
  approver = await personWithRole(t.app, 'approver');
});
afterEach(async () => {
  await t.close();
});

async function register(email: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/registrations',
    payload: validRegistration({ email, siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) }),
  });
  return res.json().outcome as string;
}

function act(method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, cookies: approver.cookies, ...(payload ? { payload } : {}) });
}

describe('trust-domain administration', () => {
  it('lists the default rules with their labels', async () => {
    const rules = (await act('GET', '/api/staff/trust-rules')).json();
    expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'legal_category', value: '7210', label: 'Commune et commune nouvelle' })]));
  });

  it('a new SIREN rule offers the pending requests it covers, approves them on demand, and trusts later requests', async () => {
    expect(await register('a@asso.fr')).toBe('pending_approval');
    expect(await register('b@asso.fr')).toBe('pending_approval');
    const created = await act('POST', '/api/staff/trust-rules', { kind: 'siren', value: '775 672 272', reason: 'Partenaire conventionné du NPNRU' });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.rule).toMatchObject({ kind: 'siren', value: '775672272', label: UNTRUSTED_ORGANISATION.name, createdBy: 'Test Approver' });
    expect(body.coveredPending.map((r: { email: string }) => r.email).sort()).toEqual(['a@asso.fr', 'b@asso.fr']);

    const ids = body.coveredPending.map((r: { id: string }) => r.id);
    const approved = (await act('POST', `/api/staff/trust-rules/${body.rule.id}/approve-covered`, { ids })).json();
    expect(approved.approved.sort()).toEqual([...ids].sort());
    expect(approved.skipped).toEqual([]);
    const accounts = await t.app.ctx.db.selectFrom('accounts').select('email').where('role', '=', 'partner').execute();
    expect(accounts.map((a) => a.email).sort()).toEqual(['a@asso.fr', 'b@asso.fr']);

    // Trusted now, but only its own people pass on their own: once its domain is verified.
    expect(await register('c@asso.fr')).toBe('pending_approval');
    const admin = await personWithRole(t.app, 'admin');
    const verified = await t.app.inject({
      method: 'POST',
      url: `/api/staff/organisations/${UNTRUSTED_ORGANISATION.siren}/domains`,
      cookies: admin.cookies,
      payload: { domain: 'asso.fr', reason: "Domaine confirmé par la direction de l'association" },
    });
    expect(verified.statusCode).toBe(201);
    expect(await register('d@asso.fr')).toBe('invitation_sent');
    const reg = await t.app.ctx.db.selectFrom('registrations').selectAll().where('email', '=', 'd@asso.fr').executeTakeFirstOrThrow();
    expect(reg.trust_rule_id).toBe(body.rule.id);
    expect(reg.trust_reason).toMatch(/Partenaire conventionné du NPNRU.*domaine asso\.fr vérifié/);
  });

  it('a legal-category rule (an admin\'s) covers every organisation of that category', async () => {
    await register('a@asso.fr');
    const admin = await personWithRole(t.app, 'admin');
    const body = (
      await t.app.inject({
        method: 'POST',
        url: '/api/staff/trust-rules',
        cookies: admin.cookies,
        payload: { kind: 'legal_category', value: '9220', reason: 'Associations déclarées partenaires' },
      })
    ).json();
    expect(body.coveredPending).toHaveLength(1);
  });

  it('requires a reason to add or remove a rule, refuses a bad SIREN or a duplicate, and removal ends the trust', async () => {
    const noReason = await act('POST', '/api/staff/trust-rules', { kind: 'siren', value: '775672272', reason: '' });
    expect(noReason.json().fields.reason).toMatch(/raison/);
    const badSiren = await act('POST', '/api/staff/trust-rules', { kind: 'siren', value: '775672273', reason: 'Partenaire' });
    expect(badSiren.json().fields.value).toMatch(/SIREN/);
    const rule = (await act('POST', '/api/staff/trust-rules', { kind: 'siren', value: '775672272', reason: 'Partenaire' })).json().rule;
    expect((await act('POST', '/api/staff/trust-rules', { kind: 'siren', value: '775672272', reason: 'Encore' })).statusCode).toBe(409);

    expect((await act('POST', `/api/staff/trust-rules/${rule.id}/remove`, {})).statusCode).toBe(400);
    expect((await act('POST', `/api/staff/trust-rules/${rule.id}/remove`, { reason: 'Convention terminée' })).statusCode).toBe(204);
    expect(await register('d@asso.fr')).toBe('pending_approval');
    const audit = await t.app.ctx.db.selectFrom('audit_events').selectAll().where('subject_id', '=', rule.id).orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['trust_rule_added', 'trust_rule_removed']);
    expect(JSON.parse(audit[1]!.details)).toMatchObject({ reason: 'Convention terminée', before: { value: '775672272' } });
  });
});
