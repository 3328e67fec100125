import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../support/clock.js';
import { personWithRole, STAFF_PASSWORD } from '../../support/staff.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function signedIn(env: Record<string, string>, remember?: boolean) {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', ...env });
  const person = await personWithRole(t.app, 'agent');
  const payload = { email: person.email, password: STAFF_PASSWORD, ...(remember === undefined ? {} : { remember }) };
  const res = await t.app.inject({ method: 'POST', url: '/api/session', payload });
  expect(res.statusCode).toBe(200);
  const header = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('guichet_session='));
  expect(header).toBeDefined();
  return { app: t.app, header: header!, attributes: header!.split(';').slice(1).map((a) => a.trim().toLowerCase()) };
}

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, sent only to /api, Secure when the service is published on https, and ends with the browser', async () => {
    for (const remember of [undefined, false]) {
      const { attributes } = await signedIn({ PUBLIC_URL: 'https://guichet.example.org', SESSION_TTL_HOURS: '4' }, remember);
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api', 'secure']));
      expect(attributes.filter((a) => a.startsWith('expires=') || a.startsWith('max-age='))).toEqual([]);
      expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
      await t!.close();
      t = null;
    }
  });

  it('lasts until the session\'s absolute end when "rester connecté" is ticked', async () => {
    const { attributes } = await signedIn({ PUBLIC_URL: 'https://guichet.example.org', SESSION_TTL_HOURS: '4' }, true);
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api', 'secure']));
    const expires = Date.parse(attributes.find((a) => a.startsWith('expires='))!.slice('expires='.length));
    expect(Math.abs(expires - (t!.clock.now().getTime() + 4 * HOUR))).toBeLessThan(2000);
  });

  it('is asked to outlive the browser by a true or false remember, nothing else', async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
    const person = await personWithRole(t.app, 'agent');
    const res = await t.app.inject({ method: 'POST', url: '/api/session', payload: { email: person.email, password: STAFF_PASSWORD, remember: 'oui' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual({ remember: 'Le champ « remember » n\'a pas le bon type de valeur.' });
  });

  it('is not marked Secure on a plain-http desk, where the browser would then never send it back', async () => {
    const { attributes } = await signedIn({ PUBLIC_URL: 'http://guichet.test' });
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api']));
    expect(attributes).not.toContain('secure');
  });

  it('is cleared on sign-out with the same path, and its token stops working', async () => {
    const { app, header } = await signedIn({ PUBLIC_URL: 'https://guichet.example.org' });
    const token = header.split(';')[0]!.slice('guichet_session='.length);
    const out = await app.inject({ method: 'DELETE', url: '/api/session', cookies: { guichet_session: token } });
    expect(out.statusCode).toBe(204);
    const cleared = [out.headers['set-cookie']].flat().find((c) => c?.startsWith('guichet_session='))!;
    expect(cleared.toLowerCase()).toMatch(/path=\/api/);
    expect(cleared.toLowerCase()).toMatch(/expires=thu, 01 jan 1970|max-age=0/);
    expect((await app.inject({ method: 'GET', url: '/api/session', cookies: { guichet_session: token } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });
});
