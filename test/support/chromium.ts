import fs from 'node:fs';
import { chromium } from '@playwright/test';

// Debian's Chromium first (our machines have no other), then Playwright's own
// build where a developer installed one.
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const system = SYSTEM_CHROMIUMS.find((p) => fs.existsSync(p));
  if (system) return system;
  try {
    const bundled = chromium.executablePath();
    return fs.existsSync(bundled) ? bundled : null;
  } catch {
    return null;
  }
}

export const MISSING_CHROMIUM = [
  'Chromium est introuvable : les tests de parcours (Playwright) en ont besoin.',
  '  Debian/Ubuntu : apt-get install -y chromium',
  '  ailleurs, avec accès à internet : npx playwright install chromium',
  '  ou indiquez son chemin : CHROMIUM_PATH=/chemin/vers/chromium npm test',
].join('\n');

/** Flags for a headless Chromium on a machine with no network but loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
