import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personWithRole, STAFF_PASSWORD, type Person } from '../../support/staff.js';
import { startTestApp, TRUSTED_SIREN, validRegistration, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let agent: Person;
beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  agent = await personWithRole(t.app, 'agent');
});
afterEach(async () => {
  await t.close();
});

describe('desktop sessions', () => {
  it('hands the session token to the desktop app when it asks, and the token works as a bearer token', async () => {
    const web = await t.app.inject({ method: 'POST', url: '/api/session', payload: { email: agent.email, password: STAFF_PASSWORD } });
    expect(web.json()).not.toHaveProperty('token');
    const desktop = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-guichet-session-transport': 'bearer' },
      payload: { email: agent.email, password: STAFF_PASSWORD },
    });
    expect(desktop.statusCode).toBe(200);
    const { token, expiresAt } = desktop.json();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    const me = await t.app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ email: agent.email, role: 'agent' });
  });

  it('sends a phone registration captured offline to the approval queue, even for a trusted organisation', async () => {
    const { confirm: _captcha, ...rest } = validRegistration({ email: 'hors.ligne@saint-etienne.fr', siren: TRUSTED_SIREN, captchaId: 'unused' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/staff/phone-registrations',
      cookies: agent.cookies,
      headers: { 'x-guichet-captured-offline': '2026-11-29T09:15:00.000Z', 'idempotency-key': 'offline-0001' },
      payload: { ...rest, confirm: { termsAccepted: true } },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().outcome).toBe('pending_approval');
    const row = await t.app.ctx.db.selectFrom('registrations').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', trusted: 0, trust_rule_id: null, idempotency_key: 'offline-0001' });
    expect(row.trust_reason).toMatch(/Saisie hors ligne le 2026-11-29T09:15:00.000Z/);
  });
});
