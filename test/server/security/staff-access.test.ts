import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../support/clock.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

// test/server/http/access-matrix.test.ts walks every route with session
// cookies; the desktop app sends its session as a bearer token instead, and
// sessions end. Here: every staff route, reached those other ways.
let t: TestApp;
let partner: Person;
let agent: Person;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  partner = await personWithRole(t.app, 'partner');
  agent = await personWithRole(t.app, 'agent');
});
afterAll(async () => {
  await t.close();
});

const SOME_ID = '00000000-0000-4000-8000-000000000000';

function staffRoutes() {
  return t.app.routeAccess.filter((r) => r.url.startsWith('/api/staff/'));
}

function call(method: string, url: string, authorization?: string) {
  return t.app.inject({
    method: method as 'GET',
    url: url.replace(':id', SOME_ID),
    headers: authorization ? { authorization } : {},
    ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
  });
}

describe('staff routes', () => {
  it('refuse a partner signed in with a bearer token (403), and unknown or malformed tokens (401)', async () => {
    const failures: string[] = [];
    for (const route of staffRoutes()) {
      const answers: [string, number][] = [
        ['partner bearer', (await call(route.method, route.url, `Bearer ${partner.cookies.guichet_session}`)).statusCode],
        ['made-up bearer', (await call(route.method, route.url, `Bearer ${'A'.repeat(43)}`)).statusCode],
        ['empty bearer', (await call(route.method, route.url, 'Bearer ')).statusCode],
        ['basic credentials', (await call(route.method, route.url, `Basic ${Buffer.from(`${agent.email}:x`).toString('base64')}`)).statusCode],
      ];
      const expected: Record<string, number> = { 'partner bearer': 403, 'made-up bearer': 401, 'empty bearer': 401, 'basic credentials': 401 };
      for (const [who, status] of answers) if (status !== expected[who]) failures.push(`${route.method} ${route.url} as ${who}: ${status}`);
    }
    expect(staffRoutes().length).toBeGreaterThan(15);
    expect(failures).toEqual([]);
  });

  it('refuse a staff session once it has expired, and the same session works before', async () => {
    const session = await personWithRole(t.app, 'admin', 'expirant');
    // personWithRole's sessions last 30 days.
    expect((await call('GET', '/api/staff/accounts', `Bearer ${session.cookies.guichet_session}`)).statusCode).toBe(200);
    t.clock.advance(31 * 24 * HOUR);
    const failures: string[] = [];
    for (const route of staffRoutes()) {
      const res = await call(route.method, route.url, `Bearer ${session.cookies.guichet_session}`);
      if (res.statusCode !== 401) failures.push(`${route.method} ${route.url}: ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });
});
