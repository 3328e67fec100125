import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { insertOrganisations } from '../../../server/directory/directory.repository.js';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../../server/accounts/password-hash.js';
import { UNTRUSTED_ORGANISATION } from '../../support/organisations.js';
import { E2E_CAPTCHA, E2E_DATA_DIR, E2E_PORT, E2E_STAFF, E2E_STAFF_PASSWORD, E2E_URL } from './env.js';

// The real service on a fresh SQLite file and mail-drop folder, serving the
// built web UI. Only three things differ from `npm run serve`: the captcha
// text is known to the journeys, one association (outside the trust domain)
// is added to the directory, and staff accounts exist with a known password.
const root = fileURLToPath(new URL('../../..', import.meta.url));
fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
fs.mkdirSync(E2E_DATA_DIR, { recursive: true });

const config = loadConfig(
  {
    ...process.env,
    PORT: String(E2E_PORT),
    DATA_DIR: E2E_DATA_DIR,
    PUBLIC_URL: E2E_URL,
    WEB_ROOT: path.join(root, 'out/renderer'),
    MAIL_POLL_MS: '200',
    RATE_LIMIT_PER_MINUTE: '1000',
    LOG_LEVEL: 'warn',
  },
  root,
);
const app = await buildApp(config, { captchaText: () => E2E_CAPTCHA });
await insertOrganisations(app.ctx.db, [UNTRUSTED_ORGANISATION]);
const passwordHash = await hashPassword(E2E_STAFF_PASSWORD);
const now = new Date().toISOString();
for (const [role, person] of Object.entries(E2E_STAFF)) {
  await app.ctx.db
    .insertInto('accounts')
    .values({
      id: randomUUID(),
      email: person.email,
      civility: '',
      first_name: person.firstName,
      last_name: person.lastName,
      job_title: '',
      phone: '',
      siren: null,
      role: role as keyof typeof E2E_STAFF,
      status: 'active',
      password_hash: passwordHash,
      created_at: now,
      activated_at: now,
      locked_until: null,
    })
    .execute();
}
await app.listen({ port: E2E_PORT, host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
