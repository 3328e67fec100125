import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError, waitForHealth } from '../../src-main/service/health.js';
import { freeLoopbackPort } from '../support/ports.js';

let server: http.Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe('waiting for the bundled service', () => {
  it('returns once /api/health answers 200, even if the service starts late', async () => {
    const port = await freeLoopbackPort();
    setTimeout(() => {
      server = http.createServer((req, res) => {
        res.statusCode = req.url === '/api/health' ? 200 : 404;
        res.end('{"status":"ok"}');
      });
      server.listen(port, '127.0.0.1');
    }, 300);
    await expect(waitForHealth(`http://127.0.0.1:${port}`, 5_000, 50)).resolves.toBeUndefined();
  });

  it('gives up with a French message when the service never becomes healthy', async () => {
    server = http.createServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const waiting = waitForHealth(`http://127.0.0.1:${port}`, 400, 50);
    await expect(waiting).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(waitForHealth(`http://127.0.0.1:${port}`, 400, 50)).rejects.toThrow(/n'a pas répondu.*HTTP 503/);
  });
});
