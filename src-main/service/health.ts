import net from 'node:net';

/** A TCP port free on loopback right now, for the bundled service to listen on. */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class ServiceUnavailableError extends Error {}

/** Polls GET /api/health until it answers 200, or gives up after `timeoutMs`. */
export async function waitForHealth(serviceUrl: string, timeoutMs: number, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'pas de réponse';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${serviceUrl}/api/health`, { signal: AbortSignal.timeout(Math.max(100, intervalMs * 5)) });
      if (res.ok) return;
      lastError = `réponse HTTP ${res.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new ServiceUnavailableError(`Le service Guichet n'a pas répondu à ${serviceUrl} en ${Math.round(timeoutMs / 1000)} s (${lastError}).`);
}
