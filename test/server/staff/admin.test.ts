import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setPasswordLink, tokenOf } from '../../support/mail-drop.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let admin: Person;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  admin = await personWithRole(t.app, 'admin', 'ada');
});
afterEach(async () => {
  await t.close();
});

function act(who: Person, method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, cookies: who.cookies, ...(payload ? { payload } : {}) });
}

describe('administration', () => {
  it('an admin creates a staff member, who sets a password from the email and signs in with that role', async () => {
    const created = await act(admin, 'POST', '/api/staff/accounts', { email: 'Nina.Valide@anru.fr', firstName: 'Nina', lastName: 'Valide', role: 'approver' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: 'nina.valide@anru.fr', role: 'approver', status: 'invited' });
    const again = await act(admin, 'POST', '/api/staff/accounts', { email: 'nina.valide@anru.fr', firstName: 'Nina', lastName: 'Valide', role: 'agent' });
    expect(again.statusCode).toBe(409);

    const [mail] = await t.deliverAndRead();
    expect(mail!.text).toMatch(/^Bonjour Nina Valide,/);
    const token = tokenOf(setPasswordLink(mail!));
    await t.app.inject({ method: 'POST', url: '/api/password', payload: { token, password: 'Examiner-Les-Demandes-9', confirmation: 'Examiner-Les-Demandes-9' } });
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/session', payload: { email: 'nina.valide@anru.fr', password: 'Examiner-Les-Demandes-9' } });
    expect(signedIn.json()).toMatchObject({ role: 'approver', firstName: 'Nina' });
    const list = (await act(admin, 'GET', '/api/staff/accounts')).json();
    expect(list.map((s: { email: string; status: string }) => `${s.email} ${s.status}`)).toContain('nina.valide@anru.fr active');
  });

  it('exports the audit trail as CSV with every state change, safe to open in a spreadsheet', async () => {
    await addUntrustedOrganisation(t.app);
    await t.app.inject({
      method: 'POST',
      url: '/api/registrations',
      payload: validRegistration({ email: 'paul@asso.fr', siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) }),
    });
    const id = (await t.app.ctx.db.selectFrom('registrations').select('id').executeTakeFirstOrThrow()).id;
    await act(admin, 'POST', `/api/staff/requests/${id}/claim`);
    await act(admin, 'POST', `/api/staff/requests/${id}/approve`);
    await act(admin, 'POST', '/api/staff/trust-rules', { kind: 'legal_category', value: '9220', reason: '=HYPERLINK("http://x")' });

    const csv = await act(admin, 'GET', '/api/staff/audit.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="guichet-audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('date;auteur;auteur_nom;action;libelle;objet;objet_id;details');
    const actions = lines.slice(1).map((l) => l.split(';')[3]);
    expect(actions).toEqual(['submitted', 'claimed', 'approved', 'invited', 'trust_rule_added']);
    expect(csv.body).not.toMatch(/;=HYPERLINK/);

    const agent = await personWithRole(t.app, 'agent');
    expect((await act(agent, 'GET', '/api/staff/audit.csv')).statusCode).toBe(403);
  });
});
