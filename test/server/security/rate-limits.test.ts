import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';

// Every public route that writes or checks a secret is limited per client
// and minute, in the database: a burst of simultaneous requests gets exactly
// the limit through, whatever the order they land in.
const PER_MINUTE = 6;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) });
});
afterAll(async () => {
  await t.close();
});

const LIMITED: [url: string, perMinute: number][] = [
  ['/api/captcha', PER_MINUTE * 2],
  ['/api/registrations', PER_MINUTE],
  ['/api/kiosk/registrations', PER_MINUTE],
  ['/api/session', PER_MINUTE],
  ['/api/password', PER_MINUTE],
  ['/api/password/token-status', PER_MINUTE],
  ['/api/password/new-link', PER_MINUTE / 3],
];

let clients = 0;
function newClient(): string {
  clients++;
  return `10.20.${clients >> 8}.${clients & 255}`;
}

function hit(url: string, remoteAddress: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url, payload: {}, remoteAddress, headers });
}

describe('rate limits', () => {
  it.each(LIMITED)('%s lets exactly %i requests a minute through from one client, even all at once, and says when to come back', async (url, perMinute) => {
    const client = newClient();
    const burst = await Promise.all(Array.from({ length: perMinute + 4 }, () => hit(url, client)));
    const refused = burst.filter((r) => r.statusCode === 429);
    expect(burst.length - refused.length).toBe(perMinute);
    for (const res of refused) {
      expect(res.json()).toMatchObject({ error: 'too_many_requests', message: expect.stringMatching(/^Trop de demandes depuis ce poste : réessayez dans \d+ secondes\.$/) });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    }

    // Another desk is not held back by this one.
    expect((await hit(url, newClient())).statusCode).not.toBe(429);
    // A minute later, the same client is served again.
    t.clock.advance(61_000);
    expect((await hit(url, client)).statusCode).not.toBe(429);
  });

  it('behind a trusted reverse proxy (TRUST_PROXY), counts per client address that the proxy forwards', async () => {
    const behind = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), TRUST_PROXY: '127.0.0.1' });
    try {
      const through = (client: string) => behind.app.inject({ method: 'POST', url: '/api/session', payload: {}, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
      const statuses = [];
      for (let i = 0; i < PER_MINUTE + 1; i++) statuses.push((await through('198.51.100.7')).statusCode);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
      // Another desk behind the same proxy is not held back.
      expect((await through('198.51.100.8')).statusCode).not.toBe(429);
      // An address that is not the proxy's cannot claim to forward for others.
      const direct = [];
      for (let i = 0; i < PER_MINUTE + 1; i++) {
        direct.push((await behind.app.inject({ method: 'POST', url: '/api/session', payload: {}, remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': `192.0.2.${i}` } })).statusCode);
      }
      expect(direct.filter((s) => s === 429)).toHaveLength(1);
    } finally {
      await behind.close();
    }
  });

  it('cannot be dodged by claiming another address in X-Forwarded-For', async () => {
    const client = newClient();
    const statuses = [];
    for (let i = 0; i < PER_MINUTE + 2; i++) statuses.push((await hit('/api/session', client, { 'x-forwarded-for': `192.0.2.${i}`, 'x-real-ip': `192.0.2.${i}` })).statusCode);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('counts per route: a client that spent its sign-in attempts can still register', async () => {
    const client = newClient();
    for (let i = 0; i < PER_MINUTE; i++) await hit('/api/session', client);
    expect((await hit('/api/session', client)).statusCode).toBe(429);
    expect((await hit('/api/registrations', client)).statusCode).toBe(400);
  });
});
