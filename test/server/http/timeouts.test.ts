import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';

// A client that trickles its request (slowloris) holds a connection and its
// memory as long as the service lets it: the whole request must arrive within
// REQUEST_TIMEOUT_MS (30 s by default; half a second here).
const TIMEOUT_MS = 500;

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startTestApp({ REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
  port = Number(new URL(await t.app.listen({ port: 0, host: '127.0.0.1' })).port);
});
afterAll(async () => {
  await t.close();
});

/** Sends the head at once, then the body a byte every `everyMs`; resolves with what came back and when the service closed. */
function trickle(body: string, everyMs: number): Promise<{ answer: string; closedAfterMs: number; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: performance.now() - started, bytesSent: sent });
    });
    socket.on('connect', () => {
      socket.write(`POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://guichet.test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
      timer = setInterval(() => {
        if (sent < body.length && !socket.destroyed) socket.write(body[sent++]!);
      }, everyMs);
    });
    setTimeout(() => reject(new Error(`still open after 10 s; received: ${answer}`)), 10_000).unref();
  });
}

describe('a request that arrives too slowly', () => {
  it('is answered 408 and its connection closed once the request timeout has passed', async () => {
    const body = JSON.stringify({ email: 'claire.martin@saint-etienne.fr', password: 'Quartier-Neuf-2026' });
    const { answer, closedAfterMs, bytesSent } = await trickle(body, 50);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(bytesSent).toBeLessThan(body.length);
    expect(closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(TIMEOUT_MS * 4);
  });

  it('a request sent at a normal pace is served as before', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(res.status).toBe(200);
  });
});
