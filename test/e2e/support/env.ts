import os from 'node:os';
import path from 'node:path';

// Shared by playwright.config.ts, the service harness and the specs (each
// Playwright worker re-reads the config, so nothing here may be random).
// The journeys run twice: against a service on SQLite and one on PostgreSQL.
export interface E2ETarget {
  name: 'sqlite' | 'postgres';
  port: number;
  url: string;
  dataDir: string;
  mailDir: string;
}

function target(name: E2ETarget['name'], port: number): E2ETarget {
  const dataDir = path.join(os.tmpdir(), `guichet-e2e-${name}-${port}`);
  return { name, port, url: `http://127.0.0.1:${port}`, dataDir, mailDir: path.join(dataDir, 'mail') };
}

const BASE_PORT = Number(process.env.E2E_PORT ?? 4791);
export const E2E_TARGETS = [target('sqlite', BASE_PORT), target('postgres', BASE_PORT + 1)] as const;

/** The target a journey runs against, from its baseURL. */
export function targetOf(baseURL: string | undefined): E2ETarget {
  const found = E2E_TARGETS.find((t) => t.url === baseURL);
  if (!found) throw new Error(`unknown e2e target ${baseURL}`);
  return found;
}
/** The harness draws this text on every captcha image, so a journey can solve it. */
export const E2E_CAPTCHA = 'Kx7PqR';

/** Staff accounts the harness creates, all with this password. */
export const E2E_STAFF_PASSWORD = 'Guichet-Personnel-2026';
export const E2E_STAFF = {
  approver: { email: 'valideur@anru.fr', firstName: 'Valérie', lastName: 'Valideur' },
  agent: { email: 'agent@anru.fr', firstName: 'Arnaud', lastName: 'Accueil' },
  admin: { email: 'admin@anru.fr', firstName: 'Ada', lastName: 'Admin' },
} as const;
