import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { insertOrganisations } from '../../../server/directory/directory.repository.js';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../../server/accounts/password-hash.js';
import { UNTRUSTED_ORGANISATION, verifyTestDomain } from '../../support/organisations.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresUrl } from '../../support/test-database.js';
import { E2E_CAPTCHA, E2E_STAFF, E2E_STAFF_PASSWORD, E2E_TARGETS } from './env.js';

// The real service on a fresh database (SQLite file, or PostgreSQL with
// E2E_TARGET=postgres) and mail-drop folder, serving the
// built web UI. Only four things differ from `npm run serve`: the captcha
// text is known to the journeys, one association (outside the trust domain)
// is added to the directory, Saint-Étienne's email domain is verified, and
// staff accounts exist with a known password.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const target = E2E_TARGETS.find((t) => t.name === process.env.E2E_TARGET) ?? E2E_TARGETS[0];
fs.rmSync(target.dataDir, { recursive: true, force: true });
fs.mkdirSync(target.dataDir, { recursive: true });
let databaseUrl = path.join(target.dataDir, 'guichet.sqlite');
if (target.name === 'postgres') {
  const name = `guichet_e2e_${target.port}`;
  await dropPostgresDatabase(name);
  await createPostgresDatabase(name);
  databaseUrl = postgresUrl(name);
}

const config = loadConfig(
  {
    ...process.env,
    PORT: String(target.port),
    DATA_DIR: target.dataDir,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: target.url,
    WEB_ROOT: path.join(root, 'out/renderer'),
    MAIL_POLL_MS: '200',
    RATE_LIMIT_PER_MINUTE: '1000',
    LOG_LEVEL: 'warn',
  },
  root,
);
const app = await buildApp(config, { captchaText: () => E2E_CAPTCHA });
await insertOrganisations(app.ctx.db, [UNTRUSTED_ORGANISATION]);
await verifyTestDomain(app.ctx.db);
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
await app.listen({ port: target.port, host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
