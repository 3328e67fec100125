import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { accountRoutes } from './accounts/accounts.routes.js';
import { sessionUser } from './accounts/sessions.service.js';
import { approvalRoutes } from './approvals/approvals.routes.js';
import { seedRejectionReasons } from './approvals/rejection-reasons.service.js';
import { captchaRoutes } from './captcha/captcha.routes.js';
import { randomCaptchaText } from './captcha/captcha.service.js';
import { proofOfWorkRoutes } from './captcha/proof-of-work.routes.js';
import { proofOfWorkSecrets } from './captcha/proof-of-work.service.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { directoryRoutes } from './directory/directory.routes.js';
import { seedDirectory } from './directory/directory.service.js';
import { installAccessControl } from './http/access.js';
import { installErrorHandlers } from './http/error-handler.js';
import { installJsonBody } from './http/json-body.js';
import { installOriginCheck } from './http/origin-check.js';
import type { RoutesPlugin } from './http/routes-plugin.js';
import { serverOptions } from './http/server-options.js';
import { yupValidatorCompiler } from './http/validation.js';
import { kioskRoutes } from './kiosks/kiosks.routes.js';
import { kioskOfKey } from './kiosks/kiosks.service.js';
import { MailWorker } from './mail/mail.worker.js';
import { mailDropTransport, smtpTransport } from './mail/transport.js';
import { backgroundWork } from './plugins/background-work.js';
import { openApi } from './plugins/openapi.js';
import { rateLimits } from './plugins/rate-limits.js';
import { securityHeaders } from './plugins/security-headers.js';
import { webUi } from './plugins/web-ui.js';
import { registrationRoutes } from './registrations/registrations.routes.js';
import { serviceRoutes } from './service.routes.js';
import { systemClock, type Clock } from './shared/time.js';
import { staffRoutes } from './staff/staff.routes.js';
import { trustRoutes } from './trust/trust.routes.js';
import { seedTrustDomain } from './trust/trust.service.js';

export interface BuildOptions {
  clock?: Clock;
  /** Only test harnesses set this: it makes the captcha's characters predictable. */
  captchaText?: () => string;
  logger?: FastifyServerOptions['logger'];
  /** Tests drive delivery themselves with app.mailWorker.deliverDue(); false also leaves housekeeping off. */
  startMailWorker?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    mailWorker: MailWorker;
  }
}

const ROUTES: RoutesPlugin[] = [
  serviceRoutes,
  directoryRoutes,
  captchaRoutes,
  proofOfWorkRoutes,
  registrationRoutes,
  accountRoutes,
  approvalRoutes,
  trustRoutes,
  staffRoutes,
  kioskRoutes,
];

/** The database, its schema brought up to date and its reference data seeded; closed again if any of that fails. */
async function preparedDatabase(config: Config, clock: Clock): Promise<DatabaseHandle> {
  const database = openDatabase(config.databaseUrl, { busyTimeoutMs: config.dbBusyTimeoutMs });
  try {
    await migrateToLatest(database.db);
    await seedTrustDomain(database.db, clock);
    await seedRejectionReasons(database.db, clock);
    await seedDirectory(database.db);
    await proofOfWorkSecrets(database.db, clock);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const database = await preparedDatabase(config, clock);
  const app = Fastify(serverOptions(config, options.logger));
  // Added first, run last: the database closes once everything using it has stopped.
  app.addHook('onClose', async () => database.close());

  const transport = config.smtpUrl ? smtpTransport(config.smtpUrl) : mailDropTransport(config.mailDropDir);
  const worker = new MailWorker({ db: database.db, transport, from: config.mailFrom, clock, pollMs: config.mailPollMs, log: app.log });
  const ctx: AppContext = {
    config,
    db: database.db,
    databaseKind: database.kind,
    bulkAppend: database.bulkAppend,
    clock,
    mailQueued: () => worker.wake(),
    captchaText: options.captchaText ?? randomCaptchaText,
  };
  app.decorate('ctx', ctx);
  app.decorate('mailWorker', worker);

  app.setValidatorCompiler(yupValidatorCompiler);
  installJsonBody(app);
  installErrorHandlers(app);
  installAccessControl(app, { user: (token) => sessionUser(ctx, token), kiosk: (key) => kioskOfKey(ctx, key) });
  await app.register(securityHeaders, { publicUrl: config.publicUrl });
  await app.register(cookie);
  installOriginCheck(app, config.publicUrl);
  await app.register(rateLimits, { ctx });
  await app.register(openApi);
  for (const routes of ROUTES) await app.register(routes, { ctx });
  await app.register(webUi, { webRoot: config.webRoot });
  await app.register(backgroundWork, { ctx, worker, transport, start: options.startMailWorker !== false });
  return app;
}
