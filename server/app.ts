import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import helmet from 'helmet';
import { HealthResponse } from '../common/api/contracts.js';
import type { ErrorCode } from '../common/api/errors.js';
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
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { directoryRoutes } from './directory/directory.routes.js';
import { seedDirectory } from './directory/directory.service.js';
import { installAccessControl } from './http/access.js';
import { kioskRoutes } from './kiosks/kiosks.routes.js';
import { kioskOfKey } from './kiosks/kiosks.service.js';
import { frameworkErrors, installErrorHandlers } from './http/error-handler.js';
import { databaseRateLimitStore } from './http/rate-limit-store.js';
import { startHousekeeping } from './housekeeping.js';
import { installJsonBody } from './http/json-body.js';
import { installOriginCheck } from './http/origin-check.js';
import { yupValidatorCompiler } from './http/validation.js';
import { MailWorker } from './mail/mail.worker.js';
import { mailDropTransport, smtpTransport } from './mail/transport.js';
import { registrationRoutes } from './registrations/registrations.routes.js';
import { systemClock, type Clock } from './shared/time.js';
import { trustRoutes } from './trust/trust.routes.js';
import { seedTrustDomain } from './trust/trust.service.js';
import { staffRoutes } from './staff/staff.routes.js';

export const VERSION = '0.1.0';

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

/**
 * Each request is logged with its method, its path without the query string
 * (staff searches carry names and emails there, directory searches what an
 * applicant typed) and the client's address; never its body, cookies or
 * other headers. No route takes a secret in its path.
 */
function privateRequestLog(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return logger;
  const settings = logger === true ? {} : logger;
  return {
    ...settings,
    serializers: {
      ...settings.serializers,
      req: (request: FastifyRequest) => ({ method: request.method, url: request.url.split('?', 1)[0], remoteAddress: request.ip }),
    },
  };
}

/** Fastify's form of TRUST_PROXY: a count of hops becomes "the first n hops". */
function trustedProxies({ trustProxy }: Config): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trustProxy === 'number' ? (_address, hop) => hop < trustProxy : trustProxy;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const database = openDatabase(config.databaseUrl, { busyTimeoutMs: config.dbBusyTimeoutMs });
  try {
    await migrateToLatest(database.db);
    await seedTrustDomain(database.db, clock);
    await seedRejectionReasons(database.db, clock);
    await seedDirectory(database.db);
    await proofOfWorkSecrets(database.db, clock);
  } catch (error) {
    await database.close();
    throw error;
  }

  const app = Fastify({
    logger: privateRequestLog(options.logger ?? { level: config.logLevel }),
    bodyLimit: 64 * 1024,
    frameworkErrors,
    trustProxy: trustedProxies(config),
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Node checks for late requests every 30 s by default: a 30 s timeout could then let one run a minute.
    http: { headersTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs / 10) },
  });
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

  // Behind https, browsers are told to stay on https; on a plain-http desk
  // (kiosks on a LAN) the same two headers would send every script and style
  // to an https port nobody listens on, and the page would load blank.
  const https = config.publicUrl.startsWith('https:');
  // Helmet's headers, its middleware built once: @fastify/helmet builds it
  // anew for every request, parsing the CSP each time (a tenth of the CPU of
  // a directory search by SIREN).
  const securityHeaders = helmet({
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined)));
  // API answers carry personal data: no browser or proxy cache keeps them.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  await app.register(cookie);
  installOriginCheck(app, config.publicUrl);
  await app.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore(database.db, clock),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'too_many_requests' satisfies ErrorCode,
      message: `Trop de demandes depuis ce poste : réessayez dans ${Math.ceil(context.ttl / 1000)} secondes.`,
    }),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Guichet – API du guichet de création de comptes ANRUSCOPE',
        version: VERSION,
        description: 'Creation of ANRU partner-portal accounts: directory search, captcha, registration, set-password links, sign-in.',
      },
    },
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: { tags: ['service'], summary: 'Liveness and the database in use', response: { 200: HealthResponse } },
    },
    async (): Promise<HealthResponse> => ({ status: 'ok', version: VERSION, database: database.kind }),
  );
  await app.register(directoryRoutes, { ctx });
  await app.register(captchaRoutes, { ctx });
  await app.register(proofOfWorkRoutes, { ctx });
  await app.register(registrationRoutes, { ctx });
  await app.register(accountRoutes, { ctx });
  await app.register(approvalRoutes, { ctx });
  await app.register(trustRoutes, { ctx });
  await app.register(staffRoutes, { ctx });
  await app.register(kioskRoutes, { ctx });

  if (config.webRoot && fs.existsSync(path.join(config.webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: config.webRoot,
      cacheControl: false,
      setHeaders: (res, file) => {
        // Built assets carry a content hash in their name; the page itself must always be fresh.
        res.setHeader('cache-control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send("L'interface web n'est pas construite : lancez « npm run build:web » (ou « npm run serve », qui la construit)."),
    );
  }

  let stopHousekeeping = (): void => undefined;
  app.addHook('onReady', async () => {
    if (options.startMailWorker === false) return;
    worker.start();
    stopHousekeeping = startHousekeeping(ctx, app.log);
  });
  app.addHook('onClose', async () => {
    stopHousekeeping();
    await worker.stop();
    transport.close();
    await database.close();
  });
  return app;
}
