import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KioskEnrolled } from '../../../common/api/staff.js';
import { ServiceClient } from '../../../src-main/connection/service-client.js';
import type { Keychain } from '../../../src-main/credentials/keychain.js';
import { KioskKey } from '../../../src-main/credentials/kiosk-key.js';
import { SessionToken } from '../../../src-main/credentials/session-token.js';
import { DurableOutbox } from '../../../src-main/outbox/outbox.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, startTestApp, type TestApp } from '../../support/test-app.js';
import { kioskEntry, phoneEntry } from '../outbox/fixtures.js';

// The main process's replay of kept requests: a kiosk's go to the kiosk route
// with the kiosk's key and no one's session, a desk's with the agent's session
// and no kiosk key.

function memoryKeychain(entries: [string, string][] = []): Keychain {
  const kept = new Map(entries);
  return {
    read: async (account) => kept.get(account) ?? null,
    write: async (account, secret) => void kept.set(account, secret),
    erase: async (account) => void kept.delete(account),
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function machine(serviceUrl: string, credentials: { kioskKey?: string; session?: string } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-replay-'));
  dirs.push(dir);
  const session = new SessionToken(memoryKeychain(credentials.session ? [[serviceUrl, credentials.session]] : []), serviceUrl);
  await session.restore();
  const kioskKey = new KioskKey(memoryKeychain(credentials.kioskKey ? [[serviceUrl, credentials.kioskKey]] : []), serviceUrl);
  await kioskKey.restore();
  const client = new ServiceClient({ serviceUrl, session, kioskKey, timeoutMs: 2_000 });
  const outbox = await DurableOutbox.open(path.join(dir, 'outbox'), { showRefused: false });
  return { client, outbox, session, kioskKey };
}

describe('replaying a kiosk\'s kept requests, against the real service', () => {
  let service: TestApp;
  let serviceUrl: string;
  let admin: Person;

  beforeAll(async () => {
    service = await startTestApp();
    await addUntrustedOrganisation(service.app);
    admin = await personWithRole(service.app, 'admin');
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    serviceUrl = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await service?.close();
  });

  async function enrol(name: string): Promise<KioskEnrolled> {
    const res = await service.app.inject({ method: 'POST', url: '/api/staff/kiosks', cookies: admin.cookies, payload: { name } });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  async function stored(id: string) {
    return service.app.ctx.db.selectFrom('registrations').selectAll().where('idempotency_key', '=', id).execute();
  }

  it('with the kiosk\'s key: the service takes it for the approval queue, once, and the kiosk forgets it', async () => {
    const { key } = await enrol('Borne du hall');
    const { client, outbox } = await machine(serviceUrl, { kioskKey: key });
    await outbox.add(kioskEntry(1));

    expect(await outbox.replay(client.sendReplay)).toEqual({ pending: 0, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
    const rows = await stored('borne-1-0000');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'kiosk', status: 'pending', trusted: 0, email: 'personneborne1@quartiers-solidaires.org' });
    expect(rows[0]!.trust_reason).toContain('sur la borne « Borne du hall »');

    // Replayed again (a crash before the file was removed): the service creates nothing more.
    expect((await client.sendReplay({ path: 'kiosk/registrations', headers: { 'Idempotency-Key': 'borne-1-0000', 'X-Guichet-Captured-Offline': kioskEntry(1).capturedAt }, body: kioskEntry(1).registration, credential: 'kiosk-key' })).status).toBe(202);
    expect(await stored('borne-1-0000')).toHaveLength(1);
  });

  it('without a key, or with a revoked one: keeps the request and says the kiosk needs its key, without the applicant\'s data', async () => {
    const { kiosk, key } = await enrol('Borne révoquée');
    await service.app.inject({ method: 'POST', url: `/api/staff/kiosks/${kiosk.id}/revoke`, cookies: admin.cookies });

    for (const credentials of [{}, { kioskKey: key }]) {
      const { client, outbox } = await machine(serviceUrl, credentials);
      await outbox.add(kioskEntry(2));
      const status = await outbox.replay(client.sendReplay);
      expect(status).toEqual({ pending: 1, refused: [], waitingForSignIn: false, waitingForKioskKey: true });
      expect(JSON.stringify(status)).not.toContain('quartiers-solidaires');
      expect((await outbox.pending()).map((e) => e.id)).toEqual(['borne-2-0000']);
    }
    expect(await stored('borne-2-0000')).toEqual([]);
  });

  it('a key given afterwards (the settings) lets the kept request go', async () => {
    const { key } = await enrol('Borne sans clé');
    const { client, outbox, kioskKey } = await machine(serviceUrl);
    await outbox.add(kioskEntry(3));
    expect((await outbox.replay(client.sendReplay)).waitingForKioskKey).toBe(true);

    await kioskKey.replace(key);
    expect(await outbox.replay(client.sendReplay)).toEqual({ pending: 0, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
    expect(await stored('borne-3-0000')).toHaveLength(1);
  });
});

describe('what a replay carries', () => {
  let stub: http.Server;
  let stubUrl: string;
  const received: { url: string; headers: http.IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    stub = http.createServer((req, res) => {
      received.push({ url: req.url ?? '', headers: req.headers });
      req.resume();
      res.statusCode = 202;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ outcome: 'pending_approval', message: 'En attente.' }));
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

  it('a kiosk\'s request: the kiosk key and no session, even with an agent signed in; a desk\'s: the session and no kiosk key', async () => {
    received.length = 0;
    const key = 'K'.repeat(43);
    const { client, outbox } = await machine(stubUrl, { kioskKey: key, session: 'jeton-de-l-agent' });
    await outbox.add(kioskEntry(4, '2026-12-01T10:00:00.000Z'));
    await outbox.add(phoneEntry(5, '2026-12-01T10:05:00.000Z'));
    await outbox.replay(client.sendReplay);

    expect(received.map((r) => r.url)).toEqual(['/api/kiosk/registrations', '/api/staff/phone-registrations']);
    const [kiosk, phone] = received;
    expect(kiosk!.headers).toMatchObject({
      'x-guichet-kiosk-key': key,
      'idempotency-key': 'borne-4-0000',
      'x-guichet-captured-offline': '2026-12-01T10:00:00.000Z',
      'content-type': 'application/json',
    });
    expect(kiosk!.headers.authorization).toBeUndefined();
    expect(phone!.headers).toMatchObject({ authorization: 'Bearer jeton-de-l-agent', 'idempotency-key': 'entree-5-0000' });
    expect(phone!.headers['x-guichet-kiosk-key']).toBeUndefined();
  });

  it('sends nothing of a kiosk\'s request while there is no key', async () => {
    received.length = 0;
    const { client, outbox } = await machine(stubUrl);
    await outbox.add(kioskEntry(6));
    expect((await outbox.replay(client.sendReplay)).waitingForKioskKey).toBe(true);
    expect(received).toEqual([]);
  });
});
