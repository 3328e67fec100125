import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiProxy } from '../../../src-main/connection/api-proxy.js';
import { ServiceClient } from '../../../src-main/connection/service-client.js';
import type { Keychain } from '../../../src-main/credentials/keychain.js';
import { KioskKey } from '../../../src-main/credentials/kiosk-key.js';
import { SessionToken } from '../../../src-main/credentials/session-token.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';
import { phoneRegistration } from '../outbox/fixtures.js';

function memoryKeychain(): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    read: async (account) => entries.get(account) ?? null,
    write: async (account, secret) => void entries.set(account, secret),
    erase: async (account) => void entries.delete(account),
  };
}

/** The page's side: a request to its own origin, as the guichet:// protocol hands it over. */
function pageRequest(path: string, init?: RequestInit): Request {
  return new Request(`guichet://app/api/${path}`, init);
}

async function desk(serviceUrl: string, token: string | null = null) {
  const keychain = memoryKeychain();
  if (token) keychain.entries.set(serviceUrl, token);
  const session = new SessionToken(keychain, serviceUrl);
  await session.restore();
  const proxy = createApiProxy(new ServiceClient({ serviceUrl, session, timeoutMs: 2_000 }));
  return { proxy, session, keychain };
}

describe('the API forwarder, against the real service', () => {
  let service: TestApp;
  let serviceUrl: string;
  let agent: Person;

  beforeAll(async () => {
    service = await startTestApp();
    await addUntrustedOrganisation(service.app);
    agent = await personWithRole(service.app, 'agent');
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    serviceUrl = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await service?.close();
  });

  it('forwards a call and its answer', async () => {
    const { proxy } = await desk(serviceUrl);
    const answer = await proxy(pageRequest('health'));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ status: 'ok' });
  });

  it('adds the desk\'s session as a bearer token, and ignores a cookie the page would send', async () => {
    const signedIn = await desk(serviceUrl, agent.cookies.guichet_session);
    const answer = await signedIn.proxy(pageRequest('session'));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ email: agent.email, role: 'agent' });

    const anonymous = await desk(serviceUrl);
    const withCookie = await anonymous.proxy(pageRequest('session', { headers: { cookie: `guichet_session=${agent.cookies.guichet_session}` } }));
    expect(withCookie.status).toBe(401);
  });

  it('forwards the Idempotency-Key: the same phone registration sent twice is one request', async () => {
    const { proxy } = await desk(serviceUrl, agent.cookies.guichet_session);
    const send = () =>
      proxy(
        pageRequest('staff/phone-registrations', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': 'cle-proxy-0001' },
          body: JSON.stringify(phoneRegistration('proxy')),
        }),
      );
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(202);
    const rows = await service.app.ctx.db.selectFrom('registrations').select('id').where('idempotency_key', '=', 'cle-proxy-0001').execute();
    expect(rows).toHaveLength(1);
  });

  it('never forwards a kiosk key the page would send: only the outbox\'s replays carry the kiosk\'s own', async () => {
    const admin = await personWithRole(service.app, 'admin');
    const enrolled = await service.app.inject({ method: 'POST', url: '/api/staff/kiosks', cookies: admin.cookies, payload: { name: 'Borne du proxy' } });
    const { proxy } = await desk(serviceUrl, admin.cookies.guichet_session);
    const answer = await proxy(
      pageRequest('kiosk/registrations', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': 'cle-proxy-borne-01',
          'x-guichet-captured-offline': '2026-12-01T09:00:00.000Z',
          'x-guichet-kiosk-key': (enrolled.json() as { key: string }).key,
        },
        body: JSON.stringify(phoneRegistration('proxy-borne')),
      }),
    );
    expect(answer.status).toBe(401);
    expect(await service.app.ctx.db.selectFrom('registrations').select('id').where('idempotency_key', '=', 'cle-proxy-borne-01').execute()).toEqual([]);
  });

  it("adds this kiosk's own key to its applicants' live requests, so the service records them as the kiosk's", async () => {
    const admin = await personWithRole(service.app, 'admin');
    const enrolled = await service.app.inject({ method: 'POST', url: '/api/staff/kiosks', cookies: admin.cookies, payload: { name: 'Borne en ligne' } });
    const kioskKey = new KioskKey(memoryKeychain(), serviceUrl);
    await kioskKey.replace((enrolled.json() as { key: string }).key);
    const session = new SessionToken(memoryKeychain(), serviceUrl);
    const proxy = createApiProxy(new ServiceClient({ serviceUrl, session, kioskKey, timeoutMs: 2_000 }));
    const answer = await proxy(
      pageRequest('registrations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'cle-proxy-borne-live' },
        body: JSON.stringify(validRegistration({ captchaId: await newCaptcha(service.app), email: 'borne.live@saint-etienne.fr' })),
      }),
    );
    expect(answer.status).toBe(202);
    const row = await service.app.ctx.db.selectFrom('registrations').select('channel').where('idempotency_key', '=', 'cle-proxy-borne-live').executeTakeFirstOrThrow();
    expect(row.channel).toBe('kiosk');
  });

  it('forgets, in memory and in the keychain, a session the service no longer knows', async () => {
    const { proxy, session, keychain } = await desk(serviceUrl, 'jeton-perime');
    expect((await proxy(pageRequest('staff/queue'))).status).toBe(401);
    expect(session.current()).toBeNull();
    expect(keychain.entries.size).toBe(0);
  });

  it('signs out: the service is told, the keychain emptied, and no cookie reaches the page', async () => {
    const person = await personWithRole(service.app, 'agent', 'sortant');
    const { proxy, session, keychain } = await desk(serviceUrl, person.cookies.guichet_session);
    const answer = await proxy(pageRequest('session', { method: 'DELETE' }));
    expect(answer.status).toBe(204);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(session.current()).toBeNull();
    expect(keychain.entries.size).toBe(0);
    expect((await (await desk(serviceUrl, person.cookies.guichet_session)).proxy(pageRequest('session'))).status).toBe(401);
  });
});

describe('the API forwarder at sign-in (bearer contract)', () => {
  let stub: http.Server;
  let stubUrl: string;
  let giveToken = true;
  let askedForToken: string | undefined;

  beforeAll(async () => {
    // The sign-in answer the desktop app asks the service for: the session token in the body.
    stub = http.createServer((req, res) => {
      askedForToken = req.headers['x-guichet-session-transport'] as string | undefined;
      res.setHeader('content-type', 'application/json');
      res.setHeader('set-cookie', 'guichet_session=du-cookie; Path=/api; HttpOnly');
      const session = { email: 'agent@anru.fr', firstName: 'Arnaud', lastName: 'Accueil', civility: '', role: 'agent' };
      res.end(JSON.stringify(giveToken ? { ...session, token: 'jeton-du-service', expiresAt: '2026-12-01T18:00:00.000Z' } : session));
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

  const signIn = () =>
    pageRequest('session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'agent@anru.fr', password: 'x' }) });

  it('asks for the token, keeps it in the main process, and hands the page the session without it', async () => {
    giveToken = true;
    const { proxy, session, keychain } = await desk(stubUrl);
    const answer = await proxy(signIn());
    expect(askedForToken).toBe('bearer');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(await answer.json()).toEqual({ email: 'agent@anru.fr', firstName: 'Arnaud', lastName: 'Accueil', civility: '', role: 'agent' });
    expect(session.current()).toBe('jeton-du-service');
    // Only "rester connecté" puts it in the keychain.
    expect(keychain.entries.size).toBe(0);
  });

  it('says plainly when the service does not give a token (an older service)', async () => {
    giveToken = false;
    const { proxy, session } = await desk(stubUrl);
    const answer = await proxy(signIn());
    expect(answer.status).toBe(502);
    expect(await answer.json()).toMatchObject({ error: 'service_outdated' });
    expect(session.current()).toBeNull();
  });
});

describe('the API forwarder without a service', () => {
  it('answers 504 with the French "unreachable" error the renderer knows', async () => {
    const { proxy } = await desk('http://127.0.0.1:9');
    const answer = await proxy(pageRequest('health'));
    expect(answer.status).toBe(504);
    expect(await answer.json()).toMatchObject({ error: 'service_unreachable', message: expect.stringContaining('injoignable') });
  });
});
