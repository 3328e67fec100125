import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLAIM_MINUTES } from '../../../server/approvals/decisions.service.js';
import { setPasswordLink } from '../../support/mail-drop.js';
import { personWithRole, stillActive, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';

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

async function pendingRequest(email: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/registrations',
    payload: validRegistration({ email, siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(t.app) }),
  });
  expect(res.json().outcome).toBe('pending_approval');
  const row = await t.app.ctx.db.selectFrom('registrations').select('id').where('email', '=', email).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return row.id;
}

function act(who: Person, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  return t.app.inject({ method, url, cookies: who.cookies, ...(payload ? { payload } : {}) });
}

async function firstReasonId(): Promise<string> {
  const reasons = (await act(alice, 'GET', '/api/staff/rejection-reasons')).json();
  return reasons[0].id;
}

describe('the approval queue', () => {
  it('lists pending requests oldest first with age, organisation and channel, and counts what waits', async () => {
    const first = await pendingRequest('premier@asso.fr');
    t.clock.advance(3_600_000);
    const second = await pendingRequest('second@asso.fr');
    t.clock.advance(60_000);
    await stillActive(t.app, alice);
    const queue = (await act(alice, 'GET', '/api/staff/queue')).json();
    expect(queue.items.map((i: { id: string }) => i.id)).toEqual([first, second]);
    expect(queue).toMatchObject({ waiting: 2, total: 2, oldestWaitingSeconds: 3660 });
    expect(queue.items[0]).toMatchObject({
      ageSeconds: 3660,
      channel: 'web',
      organisation: { siren: UNTRUSTED_ORGANISATION.siren, name: UNTRUSTED_ORGANISATION.name, legalCategory: '9220', departement: '69' },
      claimedBy: null,
    });
  });

  it('filters by status, département and text', async () => {
    await pendingRequest('chloe@asso.fr');
    const q = (query: string) => act(alice, 'GET', `/api/staff/queue?${query}`).then((r) => r.json());
    expect((await q('departement=69')).total).toBe(1);
    expect((await q('departement=42')).total).toBe(0);
    expect((await q('q=CHLOE')).total).toBe(1);
    expect((await q('q=100%25')).total).toBe(0);
    expect((await q('status=approved')).total).toBe(0);
    const bad = await act(alice, 'GET', '/api/staff/queue?status=whatever');
    expect(bad.statusCode).toBe(400);
  });
});

describe('claims and decisions by two approvers', () => {
  it('a request opened by one approver is refused to the other until the claim ends', async () => {
    const id = await pendingRequest('claire@asso.fr');
    const opened = await act(alice, 'POST', `/api/staff/requests/${id}/claim`);
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ claimedByMe: true, email: 'claire@asso.fr', directoryRecord: { siren: UNTRUSTED_ORGANISATION.siren } });

    const refused = await act(bob, 'POST', `/api/staff/requests/${id}/claim`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'claimed_by_other' });
    expect(refused.json().message).toMatch(/en cours d'examen par Test Alice jusqu'à/);
    expect((await act(bob, 'POST', `/api/staff/requests/${id}/approve`)).statusCode).toBe(409);
    expect((await act(bob, 'POST', `/api/staff/requests/${id}/reject`, { reasonId: await firstReasonId() })).statusCode).toBe(409);

    t.clock.advance((CLAIM_MINUTES + 1) * 60_000);
    expect((await act(bob, 'POST', `/api/staff/requests/${id}/claim`)).statusCode).toBe(200);
  });

  it('of two approvers deciding the same request at once, exactly one succeeds', async () => {
    const id = await pendingRequest('claire@asso.fr');
    const reasonId = await firstReasonId();
    const [a, b] = await Promise.all([
      act(alice, 'POST', `/api/staff/requests/${id}/approve`),
      act(bob, 'POST', `/api/staff/requests/${id}/reject`, { reasonId }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const row = await t.app.ctx.db.selectFrom('registrations').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe(a.statusCode === 200 ? 'approved' : 'rejected');
    const later = await act(bob, 'POST', `/api/staff/requests/${id}/approve`);
    expect(later.json()).toMatchObject({ error: 'already_decided' });
    expect(later.json().message).toMatch(/déjà été traitée/);
  });

  it('approval creates the account and sends the set-password email, which works', async () => {
    const id = await pendingRequest('claire@asso.fr');
    await act(alice, 'POST', `/api/staff/requests/${id}/claim`);
    const approved = await act(alice, 'POST', `/api/staff/requests/${id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: 'Test Alice' });
    const mails = (await t.deliverAndRead()).filter((m) => m.to === 'claire@asso.fr');
    expect(mails.map((m) => m.subject)).toEqual([
      'ANRUSCOPE – Votre demande de compte est en cours de validation',
      'ANRUSCOPE – Déterminez votre mot de passe',
    ]);
    const token = new URL(setPasswordLink(mails[1]!).replace('/#/', '/')).searchParams.get('jeton')!;
    const set = await t.app.inject({ method: 'POST', url: '/api/password', payload: { token, password: 'Quartier-Neuf-2026', confirmation: 'Quartier-Neuf-2026' } });
    expect(set.statusCode).toBe(200);
  });

  it('rejection stores the canned reason and the comment, and the applicant\'s email shows them', async () => {
    const id = await pendingRequest('claire@asso.fr');
    const reasons = (await act(alice, 'GET', '/api/staff/rejection-reasons')).json();
    const rejected = await act(alice, 'POST', `/api/staff/requests/${id}/reject`, { reasonId: reasons[1].id, comment: 'Merci d\'utiliser votre adresse professionnelle.' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().rejection).toEqual({ reason: reasons[1].label, comment: "Merci d'utiliser votre adresse professionnelle." });
    const mail = (await t.deliverAndRead()).find((m) => m.subject.includes("n'a pas été acceptée"))!;
    expect(mail.to).toBe('claire@asso.fr');
    expect(mail.text).toContain(`Motif : ${reasons[1].label}`);
    expect(mail.text).toContain("Merci d'utiliser votre adresse professionnelle.");
    expect(await t.app.ctx.db.selectFrom('accounts').select('id').where('email', '=', 'claire@asso.fr').executeTakeFirst()).toBeUndefined();
  });

  it('refuses a reason that is not in the list, or deactivated', async () => {
    const id = await pendingRequest('claire@asso.fr');
    const admin = await personWithRole(t.app, 'admin');
    const reason = (await act(admin, 'POST', '/api/staff/rejection-reasons', { label: 'Motif temporaire', active: true })).json();
    await act(admin, 'PUT' as 'POST', `/api/staff/rejection-reasons/${reason.id}`, { label: 'Motif temporaire', active: false });
    const res = await act(alice, 'POST', `/api/staff/requests/${id}/reject`, { reasonId: reason.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.reasonId).toMatch(/motif/);
    const listed = (await act(alice, 'GET', '/api/staff/rejection-reasons')).json().map((r: { label: string }) => r.label);
    expect(listed).not.toContain('Motif temporaire');
  });

  it('shows other requests and accounts with the same email or organisation, flagged as duplicates', async () => {
    const first = await pendingRequest('claire@asso.fr');
    await act(alice, 'POST', `/api/staff/requests/${first}/reject`, { reasonId: await firstReasonId() });
    const second = await pendingRequest('claire@asso.fr');
    await pendingRequest('autre@asso.fr');
    const detail = (await act(alice, 'GET', `/api/staff/requests/${second}`)).json();
    expect(detail.duplicateFlag).toBe(true);
    expect(detail.related).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'registration', id: first, sameEmail: true, status: 'rejected' }),
        expect.objectContaining({ kind: 'registration', email: 'autre@asso.fr', sameEmail: false }),
      ]),
    );
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['submitted']);
  });

  it('lists the 50 newest related requests once each, whether found by email, by organisation or both', async () => {
    const first = await pendingRequest('claire@asso.fr');
    await act(alice, 'POST', `/api/staff/requests/${first}/reject`, { reasonId: await firstReasonId() });
    const others: string[] = [];
    for (let i = 0; i < 52; i++) {
      t.clock.advance(60_000);
      others.push(await pendingRequest(`collegue${i}@asso.fr`));
    }
    t.clock.advance(60_000);
    const second = await pendingRequest('claire@asso.fr');
    await stillActive(t.app, alice);
    const related = (await act(alice, 'GET', `/api/staff/requests/${second}`)).json().related.filter((r: { kind: string }) => r.kind === 'registration');
    // Newest first: the 50 latest colleagues; Claire's first request, older, falls past the limit.
    expect(related.map((r: { id: string }) => r.id)).toEqual(others.slice(-50).reverse());
    t.clock.advance(60_000);
    const third = await pendingRequest('claire.bis@asso.fr');
    await act(alice, 'POST', `/api/staff/requests/${second}/reject`, { reasonId: await firstReasonId() });
    t.clock.advance(60_000);
    const fourth = await pendingRequest('claire@asso.fr');
    const latest = (await act(alice, 'GET', `/api/staff/requests/${fourth}`)).json().related.filter((r: { kind: string }) => r.kind === 'registration');
    expect(latest.slice(0, 2)).toEqual([
      expect.objectContaining({ id: third, sameEmail: false }),
      expect.objectContaining({ id: second, sameEmail: true }),
    ]);
    expect(new Set(latest.map((r: { id: string }) => r.id)).size).toBe(latest.length);
  });
});
