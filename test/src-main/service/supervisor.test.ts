import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceSupervisor, type SupervisorState } from '../../../src-main/service/supervisor.js';
import { freeLoopbackPort } from '../../support/ports.js';

// The supervisor drives real processes here: the real service (as the desktop
// app forks it, with its own data folder), and tiny scripts that die on cue.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/** A script that answers /api/health, then dies after `lifeMs` (never, when 0); or dies at once with `exitCode`. */
function scriptService(port: number, options: { lifeMs?: number; exitCode?: number }) {
  const source =
    options.exitCode !== undefined
      ? `process.exit(${options.exitCode})`
      : `require('node:http').createServer((q, s) => { s.statusCode = q.url === '/api/health' ? 200 : 404; s.end('{}'); })
           .listen(${port}, '127.0.0.1', () => { if (${options.lifeMs ?? 0}) setTimeout(() => process.exit(3), ${options.lifeMs ?? 0}); });`;
  return spawn(process.execPath, ['-e', source], { stdio: 'ignore' });
}

describe('the bundled service supervisor', () => {
  it('starts the real service, waits for its health, restarts it after a crash, and stops it', async () => {
    const port = await freeLoopbackPort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-supervised-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const serviceUrl = `http://127.0.0.1:${port}`;
    const states: SupervisorState[] = [];
    const supervisor = new ServiceSupervisor({
      serviceUrl,
      startTimeoutMs: 60_000,
      restartDelaysMs: [100],
      maxCrashes: 3,
      crashWindowMs: 60_000,
      onStateChange: (state) => states.push(state),
      launch: () =>
        spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
          cwd: root,
          stdio: 'ignore',
          env: {
            ...process.env,
            PORT: String(port),
            HOST: '127.0.0.1',
            DATA_DIR: dataDir,
            DATABASE_URL: path.join(dataDir, 'guichet.sqlite'),
            PUBLIC_URL: serviceUrl,
            WEB_ROOT: '',
            LOG_LEVEL: 'error',
          },
        }),
    });
    cleanups.push(() => supervisor.stop());

    await supervisor.start();
    expect(supervisor.state).toBe('running');
    expect(await healthy(serviceUrl)).toBe(true);
    const firstPid = supervisor.pid;

    process.kill(firstPid!, 'SIGKILL');
    await until(() => states.includes('restarting'), 5_000);
    await until(() => supervisor.state === 'running', 60_000);
    expect(supervisor.pid).not.toBe(firstPid);
    expect(await healthy(serviceUrl)).toBe(true);
    expect(states).toEqual(['starting', 'running', 'restarting', 'restarting', 'running']);

    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
    expect(await healthy(serviceUrl)).toBe(false);
  }, 120_000);

  it('says at once, in French, when the service dies while starting', async () => {
    const port = await freeLoopbackPort();
    const supervisor = new ServiceSupervisor({
      serviceUrl: `http://127.0.0.1:${port}`,
      startTimeoutMs: 30_000,
      restartDelaysMs: [50],
      maxCrashes: 3,
      crashWindowMs: 60_000,
      launch: () => scriptService(port, { exitCode: 2 }),
    });
    const started = Date.now();
    await expect(supervisor.start()).rejects.toThrow("Le service local s'est arrêté (code 2).");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(supervisor.state).toBe('failed');
  });

  it('gives up after too many crashes in a row instead of restarting forever', async () => {
    const port = await freeLoopbackPort();
    let launches = 0;
    const details: string[] = [];
    const supervisor = new ServiceSupervisor({
      serviceUrl: `http://127.0.0.1:${port}`,
      startTimeoutMs: 10_000,
      restartDelaysMs: [50, 100],
      maxCrashes: 2,
      crashWindowMs: 60_000,
      healthIntervalMs: 20,
      onStateChange: (_state, detail) => details.push(detail),
      launch: () => {
        launches += 1;
        return scriptService(port, { lifeMs: 300 });
      },
    });
    cleanups.push(() => supervisor.stop());

    await supervisor.start();
    await until(() => supervisor.state === 'failed', 20_000);
    expect(launches).toBe(3);
    expect(details.at(-1)).toMatch(/s'est arrêté 3 fois en peu de temps : il n'est plus relancé\.$/);
  }, 30_000);
});
