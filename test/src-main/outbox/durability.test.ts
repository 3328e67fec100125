import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DurableOutbox } from '../../../src-main/outbox/outbox.js';
import { personWithRole } from '../../support/staff.js';
import { addUntrustedOrganisation, startTestApp, type TestApp } from '../../support/test-app.js';
import { phoneEntry } from './fixtures.js';

// A desk's process killed outright (SIGKILL: no cleanup, no flush) while it
// writes to its outbox, and while it replays it to a real service: what it
// acknowledged is still there, and the service ends up with each request once.

const CHILD = fileURLToPath(new URL('./outbox-child.ts', import.meta.url));

function startChild(args: string[]): { child: ChildProcess; lines: string[]; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') console.error(stderr);
      resolve();
    }),
  );
  return { child, lines, exited };
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-outbox-kill-'));
}

describe('outbox durability under SIGKILL', () => {
  it('keeps every entry it acknowledged, whole, when killed in the middle of writing', async () => {
    const root = tempRoot();
    try {
      const acknowledged = new Set<string>();
      for (let round = 0; round < 4; round++) {
        const { child, lines, exited } = startChild(['write', root]);
        const before = lines.length;
        await until(() => lines.length >= before + 5 + round * 3);
        // A little more writing, then the kill lands wherever the child is: most likely inside a write.
        await new Promise((resolve) => setTimeout(resolve, 3 + round * 7));
        child.kill('SIGKILL');
        await exited;
        for (const line of lines) acknowledged.add(line.replace(/^added /, ''));
      }

      const outbox = await DurableOutbox.open(root, { showRefused: true });
      const kept = (await outbox.pending()).map((entry) => entry.id);
      expect(new Set(kept).size).toBe(kept.length);
      for (const id of acknowledged) expect(kept).toContain(id);
      // At most one unacknowledged entry per kill may have made it to disk, whole.
      expect(kept.length - acknowledged.size).toBeLessThanOrEqual(4);
      expect(fs.readdirSync(path.join(root, 'pending')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  describe('replaying to the real service', () => {
    let service: TestApp;
    let serviceUrl: string;
    let token: string;

    beforeAll(async () => {
      service = await startTestApp();
      await addUntrustedOrganisation(service.app);
      token = (await personWithRole(service.app, 'agent')).cookies.guichet_session;
      await service.app.listen({ port: 0, host: '127.0.0.1' });
      serviceUrl = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await service?.close();
    });

    /**
     * Between the desk and the service: passes requests on and, on the `killAt`-th, lets the service answer
     * (the request is then committed there) and kills the desk before the answer reaches it.
     */
    async function killingRelay(killAt: number, victim: () => ChildProcess | null) {
      let count = 0;
      const relay = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          void (async () => {
            const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>;
            const answer = await fetch(`${serviceUrl}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
            const body = Buffer.from(await answer.arrayBuffer());
            count += 1;
            if (count === killAt) {
              victim()?.kill('SIGKILL');
              res.destroy();
              return;
            }
            res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
            res.end(body);
          })();
        });
      });
      await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
      return { url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => relay.close(() => resolve())) };
    }

    async function registrations() {
      return service.app.ctx.db
        .selectFrom('registrations')
        .select(['email', 'idempotency_key', 'status', 'entered_by'])
        .where('email', 'like', 'personne%@quartiers-solidaires.org')
        .execute();
    }

    it('sends each kept request once, whatever the moment the desk is killed', async () => {
      const root = tempRoot();
      try {
        const outbox = await DurableOutbox.open(root, { showRefused: true });
        const entries = Array.from({ length: 6 }, (_, n) => phoneEntry(n + 1));
        for (const entry of entries) await outbox.add(entry);

        // Killed after the service committed the 2nd request, then after it replayed that one (its first answer
        // again), then at an arbitrary moment; and at last a replay that runs to its end.
        for (const killAt of [2, 1, 3]) {
          let current: ChildProcess | null = null;
          const relay = await killingRelay(killAt, () => current);
          const run = startChild(['replay', root, relay.url, token]);
          current = run.child;
          await run.exited;
          await relay.close();
          expect(run.lines.some((line) => line.startsWith('done'))).toBe(false);
        }
        const arbitrary = startChild(['replay', root, serviceUrl, token]);
        await new Promise((resolve) => setTimeout(resolve, 400));
        arbitrary.child.kill('SIGKILL');
        await arbitrary.exited;

        const last = startChild(['replay', root, serviceUrl, token]);
        await last.exited;
        expect(last.lines.at(-1)).toBe('done {"pending":0,"refused":[],"waitingForSignIn":false,"waitingForKioskKey":false}');

        const rows = await registrations();
        expect(rows.map((row) => row.email).sort()).toEqual(entries.map((entry) => entry.registration.contact.email).sort());
        expect(new Set(rows.map((row) => row.idempotency_key))).toEqual(new Set(entries.map((entry) => entry.id)));
        expect(rows.every((row) => row.status === 'pending' && row.entered_by !== null)).toBe(true);
        expect(fs.readdirSync(path.join(root, 'pending'))).toEqual([]);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    }, 90_000);
  });
});
