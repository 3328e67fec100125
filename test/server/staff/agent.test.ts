import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_INVITATIONS_PER_DAY } from '../../../server/approvals/decisions.service.js';
import { personWithRole, stillActive, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, startTestApp, TRUSTED_SIREN, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let agent: Person;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
  agent = await personWithRole(t.app, 'agent', 'agnes');
});
afterEach(async () => {
  await t.close();
});

function act(method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, cookies: agent.cookies, ...(payload ? { payload } : {}) });
}

function phoneRegistration(email: string, siren = TRUSTED_SIREN) {
  const { confirm: _captcha, ...rest } = validRegistration({ email, siren, captchaId: 'unused' });
  return { ...rest, confirm: { termsAccepted: true } };
}

describe('phone registration by an agent', () => {
  it('needs no captcha and records the agent and the phone channel', async () => {
    const res = await act('POST', '/api/staff/phone-registrations', phoneRegistration('appelant@saint-etienne.fr'));
    expect(res.statusCode).toBe(202);
    expect(res.json().outcome).toBe('invitation_sent');
    const reg = await t.app.ctx.db.selectFrom('registrations').selectAll().executeTakeFirstOrThrow();
    expect(reg).toMatchObject({ channel: 'phone', entered_by: agent.id, status: 'approved' });
    const detail = (await act('GET', `/api/staff/requests/${reg.id}`)).json();
    expect(detail.enteredBy).toBe('Test Agnes');
    expect(detail.accountStatus).toBe('invited');
    expect(detail.history.map((h: { actorName: string; action: string }) => `${h.actorName}: ${h.action}`)).toEqual([
      'Test Agnes: submitted',
      'Système: approved',
      'Système: invited',
    ]);
  });

  it('validates like the public wizard and requires the caller\'s acceptance of the terms', async () => {
    const body = phoneRegistration('appelant@saint-etienne.fr');
    const res = await act('POST', '/api/staff/phone-registrations', { ...body, confirm: { termsAccepted: false }, contact: { ...body.contact, phone: '12' } });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().fields).sort()).toEqual(['confirm.termsAccepted', 'contact.phone']);
  });

  it('reads X-Guichet-Captured-Offline as an ISO date, as the kiosk route does, and refuses anything else in French', async () => {
    const send = (capturedAt: string, email: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/staff/phone-registrations',
        cookies: agent.cookies,
        headers: { 'x-guichet-captured-offline': capturedAt },
        payload: phoneRegistration(email),
      });
    for (const capturedAt of ['hier', '2026-13-45T99:00:00Z', '<script>', '2026-12-01T09:15:00.000Z trop long']) {
      const res = await send(capturedAt, 'appelant@saint-etienne.fr');
      expect(res.statusCode, capturedAt).toBe(400);
      expect(res.json().message).toMatch(/X-Guichet-Captured-Offline doit donner la date de la saisie hors ligne/);
    }
    expect(await t.app.ctx.db.selectFrom('registrations').select('id').execute()).toEqual([]);

    const res = await send('2026-12-01T10:15:00+01:00', 'appelant@saint-etienne.fr');
    expect(res.statusCode).toBe(202);
    expect(res.json().outcome).toBe('pending_approval');
    const reg = await t.app.ctx.db.selectFrom('registrations').selectAll().executeTakeFirstOrThrow();
    expect(reg).toMatchObject({ channel: 'phone', status: 'pending', trusted: 0 });
    expect(reg.trust_reason).toBe('Saisie hors ligne le 2026-12-01T09:15:00.000Z : à vérifier par un valideur');
  });
});

describe('what an agent does for a caller', () => {
  it('finds requests and accounts by name, email or SIREN, with their status', async () => {
    await act('POST', '/api/staff/phone-registrations', phoneRegistration('lea.durand@saint-etienne.fr'));
    await act('POST', '/api/staff/phone-registrations', phoneRegistration('paul@asso.fr', UNTRUSTED_ORGANISATION.siren));
    const byEmail = (await act('GET', '/api/staff/search?q=lea.durand')).json();
    expect(byEmail.registrations).toHaveLength(1);
    expect(byEmail.registrations[0]).toMatchObject({ status: 'approved', accountStatus: 'invited' });
    expect(byEmail.accounts[0]).toMatchObject({ email: 'lea.durand@saint-etienne.fr', status: 'invited' });
    const bySiren = (await act('GET', `/api/staff/search?q=${UNTRUSTED_ORGANISATION.siren}`)).json();
    expect(bySiren.registrations[0]).toMatchObject({ status: 'pending', accountStatus: null });
  });

  it('resends an invitation a limited number of times a day', async () => {
    await act('POST', '/api/staff/phone-registrations', phoneRegistration('lea@saint-etienne.fr'));
    const reg = await t.app.ctx.db.selectFrom('registrations').select('id').executeTakeFirstOrThrow();
    const statuses = [];
    for (let i = 0; i < MAX_INVITATIONS_PER_DAY; i++) statuses.push((await act('POST', `/api/staff/requests/${reg.id}/resend-invitation`)).statusCode);
    expect(statuses).toEqual([...Array(MAX_INVITATIONS_PER_DAY - 1).fill(200), 429]);
    const mails = (await t.deliverAndRead()).filter((m) => m.subject.includes('Déterminez'));
    expect(mails).toHaveLength(MAX_INVITATIONS_PER_DAY);
    t.clock.advance(25 * 3_600_000);
    await stillActive(t.app, agent);
    expect((await act('POST', `/api/staff/requests/${reg.id}/resend-invitation`)).statusCode).toBe(200);
  });

  it('cancels a pending request, and cannot cancel it twice', async () => {
    await act('POST', '/api/staff/phone-registrations', phoneRegistration('paul@asso.fr', UNTRUSTED_ORGANISATION.siren));
    const reg = await t.app.ctx.db.selectFrom('registrations').select('id').executeTakeFirstOrThrow();
    const res = await act('POST', `/api/staff/requests/${reg.id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', decidedBy: 'Test Agnes' });
    expect((await act('POST', `/api/staff/requests/${reg.id}/cancel`)).statusCode).toBe(409);
    expect((await t.deliverAndRead()).map((m) => m.subject)).toContain('ANRUSCOPE – Votre demande de compte a été annulée');
  });

  it('cannot claim or decide: that is the approvers\' work', async () => {
    await act('POST', '/api/staff/phone-registrations', phoneRegistration('paul@asso.fr', UNTRUSTED_ORGANISATION.siren));
    const reg = await t.app.ctx.db.selectFrom('registrations').select('id').executeTakeFirstOrThrow();
    expect((await act('POST', `/api/staff/requests/${reg.id}/approve`)).statusCode).toBe(403);
    expect((await act('GET', '/api/staff/queue')).statusCode).toBe(403);
  });
});
