import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForHealth } from '../../../src-main/service/health.js';
import { freeLoopbackPort } from '../../support/ports.js';

// `npm start` (electron-vite preview) and the installed app fork the service
// that electron-vite builds, out/main/service.js, as Electron's utility
// process: on the Node that Electron embeds, Node 24 from Electron 40 on
// (Electron 44: 24.18). Electron's binary cannot be downloaded on these
// machines, so Node 24 itself stands in for that process here: the same
// bundle, started with the environment src-main/index.ts gives it.
const ELECTRON_NODE_MAJOR = 24;
const onElectronsNode = Number(process.versions.node.split('.')[0]) === ELECTRON_NODE_MAJOR;

const root = fileURLToPath(new URL('../../..', import.meta.url));
let scratch = '';

/** The native modules a running process has loaded (Linux: its memory map). */
function loadedNativeModules(pid: number): string[] {
  const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8');
  return [...new Set(maps.split('\n').flatMap((line) => line.match(/\s(\/\S+\.node)$/)?.[1] ?? []))];
}

// A Node-API module registers itself through napi_register_module_v1 and
// loads unchanged in any Node or Electron; one built against a Node's own
// ABI exports node_register_module_v<ABI> and loads in that Node alone.
function isNodeApi(file: string): boolean {
  const binary = fs.readFileSync(file);
  return binary.includes('napi_register_module_v1') && !binary.includes('node_register_module_v');
}

describe.skipIf(!onElectronsNode || process.platform !== 'linux')("the desktop app's bundled service, on the Node that Electron embeds", () => {
  beforeAll(async () => {
    // Inside the project, where the bundle's external imports resolve to node_modules, as in out/.
    fs.mkdirSync(path.join(root, '.scratch'), { recursive: true });
    scratch = fs.mkdtempSync(path.join(root, '.scratch', 'bundled-service-'));
    const { config } = await resolveConfig({ root, logLevel: 'silent' }, 'build', 'production');
    const main = config!.main as InlineConfig;
    await build({ ...main, logLevel: 'silent', build: { ...main.build, outDir: path.join(scratch, 'main') } });
  }, 120_000);

  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('opens its SQLite database, answers a directory search, and loads no native module built for one Node ABI', async () => {
    const port = await freeLoopbackPort();
    const serviceUrl = `http://127.0.0.1:${port}`;
    const dataDir = path.join(scratch, 'data');
    const service = spawn(process.execPath, [path.join(scratch, 'main', 'service.js')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, PUBLIC_URL: serviceUrl, WEB_ROOT: '', LOG_LEVEL: 'error' },
    });
    let stderr = '';
    service.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => service.once('exit', resolve));
    try {
      const died = new AbortController();
      void exited.then((code) => died.abort(`exit ${code}: ${stderr}`));
      await waitForHealth(serviceUrl, 60_000, 200, died.signal);

      expect(fs.existsSync(path.join(dataDir, 'guichet.sqlite'))).toBe(true);
      const search = await fetch(`${serviceUrl}/api/directory/search?q=${encodeURIComponent('saint etienne')}`);
      expect(search.status).toBe(200);
      const { total } = (await search.json()) as { total: number };
      expect(total).toBeGreaterThan(0);

      // Loaded at start: @napi-rs/canvas (the captcha) and @node-rs/argon2
      // (passwords). SQLite is Node's own, inside the binary.
      const native = loadedNativeModules(service.pid!);
      expect(native.length).toBeGreaterThan(0);
      expect(native.map((file) => path.basename(file)).join(' ')).not.toMatch(/sqlite/i);
      expect(native.filter((file) => !isNodeApi(file))).toEqual([]);
      expect(stderr).toBe('');
    } finally {
      service.kill();
      await exited;
    }
  }, 90_000);
});
