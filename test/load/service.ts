import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { hashPassword } from '../../server/accounts/password-hash.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { insertOrganisations } from '../../server/directory/directory.repository.js';
import { hashToken, randomToken } from '../../server/shared/secrets.js';
import { UNTRUSTED_ORGANISATION, verifyTestDomain } from '../support/organisations.js';
import { LOAD_CAPTCHA, type CpuReport, type ServiceReady } from './protocol.js';

// The service under load, in a process of its own so that the load generator
// does not share its CPU time. It is the real buildApp, with two harness
// settings: the captcha draws a known text (a robot cannot read the image, so
// a load test could not register otherwise), and staff sessions are written
// straight to the database. Next to it, a bare Fastify route on the same
// process: the ceiling of this machine and this generator.
const STAFF = { agent: 8, approver: 4 } as const;

const config = loadConfig({ ...process.env, WEB_ROOT: '', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
const app = await buildApp(config, { captchaText: () => LOAD_CAPTCHA });
await insertOrganisations(app.ctx.db, [UNTRUSTED_ORGANISATION]);
await verifyTestDomain(app.ctx.db);

const passwordHash = await hashPassword(`Charge-${randomUUID()}`);
const now = new Date();
const staff: ServiceReady['staff'] = { agent: [], approver: [] };
// Sessions live in the database: the staff made by the first instance is signed in on all of them.
const roles = process.env.LOAD_MAKE_STAFF === '0' ? [] : (['agent', 'approver'] as const);
for (const role of roles) {
  for (let i = 0; i < STAFF[role]; i++) {
    const id = randomUUID();
    await app.ctx.db
      .insertInto('accounts')
      .values({
        id,
        email: `${role}${i}@charge.anru.fr`,
        civility: '',
        last_name: `Charge${i}`,
        first_name: role,
        job_title: '',
        phone: '',
        siren: null,
        role,
        status: 'active',
        password_hash: passwordHash,
        created_at: now.toISOString(),
        activated_at: now.toISOString(),
        locked_until: null,
      })
      .execute();
    const token = randomToken();
    await app.ctx.db
      .insertInto('sessions')
      .values({ id: randomUUID(), token_hash: hashToken(token), account_id: id, created_at: now.toISOString(), expires_at: new Date(now.getTime() + 86_400_000).toISOString() })
      .execute();
    staff[role].push(token);
  }
}

const bare = Fastify({ logger: false });
bare.get('/bare', async () => ({ status: 'ok' }));

const url = await app.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

let lastCpu = process.cpuUsage();
process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    const used = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    process.send!({ type: 'cpu', cpuSeconds: (used.user + used.system) / 1e6 } satisfies CpuReport);
  }
  if (message.type === 'stop') {
    void Promise.all([app.close(), bare.close()]).then(() => process.exit(0));
  }
});
process.send!({ type: 'ready', url, bareUrl, databaseKind: app.ctx.databaseKind, staff } satisfies ServiceReady);
