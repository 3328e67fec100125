import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run serve` without the web build: the service as its own process, which a test can kill. */
export interface ServiceProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

export function startService(env: Record<string, string>, options: { shell?: string; uid?: number; gid?: number } = {}): ServiceProcess {
  const args = ['--import', 'tsx', 'server/main.ts'];
  const spawnOptions: SpawnOptions = {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', WEB_ROOT: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  };
  // A shell prefix sets limits (ulimit) on the service alone; `exec` keeps the service's pid the child's.
  const child = options.shell
    ? spawn('sh', ['-c', `${options.shell}; exec "$0" "$@"`, process.execPath, ...args], spawnOptions)
    : spawn(process.execPath, args, spawnOptions);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the "Guichet est prêt" line, or fails with what the service said. */
export async function untilReady(service: ServiceProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void service.exited.then(() => (ended = true));
  while (!service.stdout().includes('Guichet est prêt')) {
    if (ended || Date.now() > deadline) throw new Error(`the service did not start:\n${service.stdout()}\n${service.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
