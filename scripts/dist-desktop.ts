// `npm run dist` after `electron-vite build`: puts the app as it will be
// packed in out/package — the built main, preload and renderer, package.json,
// and the production dependencies installed there without their build
// scripts — then runs electron-builder on that folder as its project. It
// compiles the native module (keytar) for Electron there and only there: run
// on the project itself, it would also rebuild the project's node_modules,
// which the Node-based tests use.
// Arguments go to electron-builder: npm run dist -- --win
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILT = ['main', 'preload', 'renderer'] as const;

/** Installs the production dependencies in `dir` from its package.json and lock file. */
export type Install = (dir: string) => void;

const npmInstall: Install = (dir) => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) throw new Error(`npm ci a échoué dans ${dir} (code ${result.status ?? result.signal}).`);
};

export function stageDesktopApp(root: string, install: Install = npmInstall): string {
  const out = path.join(root, 'out');
  for (const part of BUILT) {
    if (!fs.existsSync(path.join(out, part))) {
      throw new Error(`out/${part} est absent : lancez d'abord « npx electron-vite build » (ou « npm run dist », qui le fait).`);
    }
  }
  const stage = path.join(out, 'package');
  fs.rmSync(stage, { recursive: true, force: true });
  for (const part of BUILT) fs.cpSync(path.join(out, part), path.join(stage, 'out', part), { recursive: true });
  // The same package.json and lock: npm ci refuses a package.json that does not match its lock.
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, file), path.join(stage, file));
  install(stage);
  return stage;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const stage = stageDesktopApp(root);
  const builder = spawnSync(
    process.platform === 'win32' ? 'npx.cmd' : 'npx',
    ['electron-builder', '--projectDir', stage, '--config', path.join(root, 'build/electron-builder.yml'), ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' },
  );
  process.exit(builder.status ?? 1);
}
