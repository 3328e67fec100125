import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, MISSING_CHROMIUM } from './test/support/chromium.js';
import { E2E_TARGETS } from './test/e2e/support/env.js';

const executablePath = findChromium();
if (!executablePath) throw new Error(MISSING_CHROMIUM);

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  // One service and one mail-drop folder per database: journeys run one after the other.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  projects: E2E_TARGETS.map((target) => ({ name: target.name, use: { baseURL: target.url } })),
  use: {
    locale: 'fr-FR',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  // The same service twice: on SQLite, and on PostgreSQL (127.0.0.1:5432, or TEST_POSTGRES_URL).
  webServer: E2E_TARGETS.map((target) => ({
    command: 'npx tsx test/e2e/support/serve.ts',
    env: { E2E_TARGET: target.name },
    url: `${target.url}/api/health`,
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
  })),
});
