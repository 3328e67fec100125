// `npm run lint:electron`: Electronegativity (Doyensec's checker of Electron's
// security checklist) over the desktop app's sources — the main process, the
// preload, and the page the window loads. Any finding above LOW fails; a
// finding that is deliberate carries an `eng-disable` comment that says why.
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
  severity: { value: number; name: string };
  confidence: { name: string };
  sample?: string;
}

interface RunOptions {
  input: string;
  electronVersionOverride: string;
  excludeFromScan: string[];
  isRelative: boolean;
}

const require = createRequire(import.meta.url);
// At every run the checker fetches newer translations of its messages with
// got 11, and keeps its own when that fails. Offline, got retries, and on
// Node 24 its retry throws once the request has settled, which ends the
// process after the scan: it gets a got that fails at once instead.
const got = new Module(createRequire(require.resolve('@doyensec/electronegativity')).resolve('got'));
got.exports = () => Promise.reject(new Error('pas de réseau pour le vérificateur'));
got.loaded = true;
require.cache[got.id] = got;
const run = require('@doyensec/electronegativity') as (options: RunOptions) => Promise<{ issues: Finding[] }>;
const root = fileURLToPath(new URL('..', import.meta.url));
const LOW = 1;

// The checker reads .ts but not .cts, and checks one tree: it gets a copy
// holding src-main (the preload renamed) and the renderer's index.html.
const scan = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-electronegativity-'));
const origin = new Map<string, string>();
for (const entry of fs.readdirSync(path.join(root, 'src-main'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const source = path.join(entry.parentPath, entry.name);
  const relative = path.relative(root, source);
  const copy = path.join(scan, relative.replace(/\.cts$/, '.ts'));
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.copyFileSync(source, copy);
  origin.set(path.relative(scan, copy), relative);
}
fs.mkdirSync(path.join(scan, 'src-renderer'));
fs.copyFileSync(path.join(root, 'src-renderer/index.html'), path.join(scan, 'src-renderer/index.html'));

const electronVersion = (require('electron/package.json') as { version: string }).version;
try {
  const { issues } = await run({
    input: scan,
    electronVersionOverride: electronVersion,
    // It asks the internet for newer Electron releases: unreachable on CI, and not a property of this code.
    // Electron is upgraded as a dependency (npm outdated, npm audit).
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    isRelative: true,
  });
  const blocking = issues.filter((issue) => issue.severity.value > LOW);
  for (const issue of issues) {
    const file = origin.get(issue.file) ?? issue.file;
    console.log(`${issue.severity.name.padEnd(13)} ${issue.id} ${file}:${issue.location.line} — ${issue.description}`);
  }
  if (blocking.length > 0) {
    console.error(`\nElectronegativity : ${blocking.length} constat(s) au-dessus de LOW. Corrigez-les, ou justifiez-les par un commentaire « eng-disable » sur la ligne concernée.`);
    process.exitCode = 1;
  } else {
    console.log(`Electronegativity (Electron ${electronVersion}) : aucun constat au-dessus de LOW (${issues.length} constat(s) au total).`);
  }
} finally {
  fs.rmSync(scan, { recursive: true, force: true });
}
