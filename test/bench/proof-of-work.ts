import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { solveChallenge, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { buildApp } from '../../server/app.js';
import { proofOfWorkSecrets } from '../../server/captcha/proof-of-work.service.js';
import { loadConfig } from '../../server/config.js';
import { CHROMIUM_ARGS, findChromium, MISSING_CHROMIUM } from '../support/chromium.js';

// `npx tsx test/bench/proof-of-work.ts` (after `npm run build:web`): how long
// the proof of work offered instead of the captcha image takes at the work
// factor in PROOF_OF_WORK_MAX_NUMBER (the service's default without it). The
// page's own worker file solves challenges from a real service in headless
// Chromium, one after the other; Node's solver (what a robot would script)
// solves the same kind of challenge; the service's verification is timed.
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const root = path.resolve(import.meta.dirname, '../..');
const assets = path.join(root, 'out/renderer/assets');
const workerFile = fs.existsSync(assets) ? fs.readdirSync(assets).find((f) => f.startsWith('proof-of-work.worker-')) : undefined;
if (!workerFile) throw new Error('Construisez d\'abord l\'interface : npm run build:web');
const executablePath = findChromium();
if (!executablePath) throw new Error(MISSING_CHROMIUM);

function figures(label: string, values: number[], unit: string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  return `${label.padEnd(28)} median ${at(0.5)} ${unit}, min ${at(0)}, max ${at(1)} (n = ${sorted.length})`;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-pow-bench-'));
const env: Record<string, string> = { DATA_DIR: dataDir, WEB_ROOT: path.join(root, 'out/renderer'), RATE_LIMIT_PER_MINUTE: '100000' };
if (process.env.PROOF_OF_WORK_MAX_NUMBER) env.PROOF_OF_WORK_MAX_NUMBER = process.env.PROOF_OF_WORK_MAX_NUMBER;
const app = await buildApp(loadConfig(env, root), { logger: false, startMailWorker: false });
try {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  await page.goto(`${url}/`);
  // A string, not a function: tsx would wrap a function in helpers the page does not have.
  const browserMs = (await page.evaluate(`(async () => {
    const times = [];
    for (let i = 0; i < ${RUNS}; i++) {
      const challenge = await (await fetch('/api/proof-of-work', { method: 'POST' })).json();
      const start = performance.now();
      const worker = new Worker('/assets/${workerFile}', { type: 'module' });
      await new Promise((resolve) => { worker.onmessage = resolve; worker.postMessage(challenge); });
      worker.terminate();
      times.push(performance.now() - start);
    }
    return times;
  })()`)) as number[];
  await browser.close();

  const secrets = await proofOfWorkSecrets(app.ctx.db, app.ctx.clock);
  const nodeCpuMs: number[] = [];
  const verifyUs: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 15); i++) {
    const challenge = (await app.inject({ method: 'POST', url: '/api/proof-of-work' })).json() as Challenge;
    const cpu = process.cpuUsage();
    const solution = await solveChallenge({ challenge, deriveKey });
    const used = process.cpuUsage(cpu);
    nodeCpuMs.push((used.user + used.system) / 1000);
    // Warm, as on a running service: the first call pays for loading WebCrypto.
    for (let j = 0; j < 20; j++) {
      const start = performance.now();
      const result = await verifySolution({ challenge, solution: solution!, deriveKey, hmacSignatureSecret: secrets.challenge, hmacKeySignatureSecret: secrets.derivedKey });
      verifyUs.push((performance.now() - start) * 1000);
      if (!result.verified) throw new Error('solution refused');
    }
  }
  console.log(`PROOF_OF_WORK_MAX_NUMBER = ${app.ctx.config.proofOfWorkMaxNumber}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(figures('Chromium, the page\'s worker', browserMs, 'ms'));
  console.log(figures('Node\'s solver, CPU', nodeCpuMs, 'ms'));
  console.log(figures('service\'s verification', verifyUs, 'µs'));
} finally {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
