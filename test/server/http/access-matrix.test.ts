import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../common/staff/roles.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
const people = new Map<Role, Person>();

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  for (const role of ROLES) people.set(role, await personWithRole(t.app, role));
});
afterAll(async () => {
  await t.close();
});

const SOME_ID = '00000000-0000-4000-8000-000000000000';

describe('who may call each route', () => {
  it('every /api route states its access, and the staff routes are all role-restricted', () => {
    const routes = t.app.routeAccess;
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((r) => r.url.startsWith('/api/staff/kiosks'))).toEqual([
      { method: 'GET', url: '/api/staff/kiosks', access: ['admin'] },
      { method: 'POST', url: '/api/staff/kiosks', access: ['admin'] },
      { method: 'POST', url: '/api/staff/kiosks/:id/revoke', access: ['admin'] },
    ]);
    expect(routes.filter((r) => r.url.startsWith('/api/staff/accounts'))).toEqual([
      { method: 'GET', url: '/api/staff/accounts', access: ['admin'] },
      { method: 'POST', url: '/api/staff/accounts', access: ['admin'] },
      { method: 'POST', url: '/api/staff/accounts/:id/disable', access: ['admin'] },
      { method: 'POST', url: '/api/staff/accounts/:id/enable', access: ['admin'] },
      { method: 'POST', url: '/api/staff/accounts/:id/end-sessions', access: ['admin'] },
      { method: 'POST', url: '/api/staff/accounts/:id/role', access: ['admin'] },
    ]);
    expect(routes.filter((r) => r.access === 'kiosk')).toEqual([{ method: 'POST', url: '/api/kiosk/registrations', access: 'kiosk' }]);
    for (const route of routes.filter((r) => r.url.startsWith('/api/staff/'))) {
      expect(Array.isArray(route.access), `${route.method} ${route.url}`).toBe(true);
      expect(route.access, `${route.method} ${route.url}`).not.toContain('partner');
    }
  });

  it('answers 401 to anonymous callers and 403 to other roles on every restricted route, and lets the named roles through', async () => {
    const failures: string[] = [];
    // Signing out (here or everywhere) ends the callers' sessions: it goes last.
    const endsSessions = (r: { method: string; url: string }) => (r.method === 'DELETE' && r.url === '/api/session') || r.url === '/api/session/revoke-all';
    const routes = [...t.app.routeAccess].sort((a, b) => Number(endsSessions(a)) - Number(endsSessions(b)));
    for (const route of routes) {
      const url = route.url.replace(':id', SOME_ID).replace(':siren', '214202186');
      const callers: (Role | 'anonymous')[] = ['anonymous', ...ROLES];
      for (const caller of callers) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          cookies: caller === 'anonymous' ? {} : people.get(caller)!.cookies,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        let expected: 'allowed' | 401 | 403;
        if (route.access === 'public') expected = 'allowed';
        // Only a kiosk's key opens a kiosk route: no one's session does.
        else if (route.access === 'kiosk' || caller === 'anonymous') expected = 401;
        else if (route.access === 'signed-in' || route.access.includes(caller)) expected = 'allowed';
        else expected = 403;
        const ok = expected === 'allowed' ? res.statusCode !== 401 && res.statusCode !== 403 : res.statusCode === expected;
        if (!ok) failures.push(`${route.method} ${route.url} as ${caller}: ${res.statusCode}, expected ${expected}`);
        if (expected !== 'allowed' && res.statusCode === expected) {
          expect(res.json().message).toMatch(route.access === 'kiosk' ? /borne n'est pas reconnue/ : expected === 401 ? /Connectez-vous/ : /rôle/);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
