import os from 'node:os';
import path from 'node:path';

// Shared by playwright.config.ts, the service harness and the specs (each
// Playwright worker re-reads the config, so nothing here may be random).
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4791);
export const E2E_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_DATA_DIR = path.join(os.tmpdir(), `guichet-e2e-${E2E_PORT}`);
export const E2E_MAIL_DIR = path.join(E2E_DATA_DIR, 'mail');
/** The harness draws this text on every captcha image, so a journey can solve it. */
export const E2E_CAPTCHA = 'Kx7PqR';

/** Staff accounts the harness creates, all with this password. */
export const E2E_STAFF_PASSWORD = 'Guichet-Personnel-2026';
export const E2E_STAFF = {
  approver: { email: 'valideur@anru.fr', firstName: 'Valérie', lastName: 'Valideur' },
  agent: { email: 'agent@anru.fr', firstName: 'Arnaud', lastName: 'Accueil' },
  admin: { email: 'admin@anru.fr', firstName: 'Ada', lastName: 'Admin' },
} as const;
