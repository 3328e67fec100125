import http from 'node:http';
import type { Socket } from 'node:net';

// Stands between the browser and a running e2e service, on an address of its
// own, and can stop and start again: for the page, the service goes away
// (connections refused) and comes back at the same address. The service
// itself, its database and the agent's session, are untouched meanwhile.

export interface ServiceSwitch {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Relay ports: one per Playwright project, clear of the services' own (4791, 4792). */
export function switchPort(projectName: string): number {
  return (projectName === 'postgres' ? 4796 : 4795) + Number(process.env.E2E_PORT ?? 4791) - 4791;
}

export async function serviceSwitch(target: string, port: number): Promise<ServiceSwitch> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let server: http.Server | null = null;

  function relay(req: http.IncomingMessage, res: http.ServerResponse): void {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  }

  async function start(): Promise<void> {
    const next = http.createServer(relay);
    next.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    server = next;
  }

  async function stop(): Promise<void> {
    const current = server;
    server = null;
    if (!current) return;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    // Kept-alive connections too: the browser must not reach the service through them.
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  await start();
  return { url: `http://127.0.0.1:${port}`, stop, start };
}
