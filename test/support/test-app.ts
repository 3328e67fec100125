import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { insertOrganisations } from '../../server/directory/directory.repository.js';
import { UNTRUSTED_ORGANISATION } from './organisations.js';
import { TestClock } from './clock.js';
import { readMailDrop } from './mail-drop.js';
import { freshDatabase, tempDir } from './test-database.js';

export const CAPTCHA_TEXT = 'Kx7PqR';

export interface TestApp {
  app: FastifyInstance;
  clock: TestClock;
  dataDir: string;
  /** Delivers queued mail and returns what landed in the drop folder. */
  deliverAndRead(): ReturnType<typeof readMailDrop>;
  close(): Promise<void>;
}

/**
 * A real service on a real database (a copy of the seeded template: a SQLite
 * file, or a PostgreSQL database with TEST_DATABASE=postgres), with a known
 * captcha text.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = tempDir('guichet-test-');
  const database = await freshDatabase(dataDir, inject('templateDatabase'));
  const clock = new TestClock();
  const app = await buildApp(loadConfig({ DATA_DIR: dataDir, WEB_ROOT: '', PUBLIC_URL: 'http://guichet.test', DATABASE_URL: database.url, ...env }), {
    logger: false,
    startMailWorker: false,
    clock,
    captchaText: () => CAPTCHA_TEXT,
  });
  answersKeepWhatWasBuilt(app);
  await app.ready();
  asGuichetPage(app);
  return {
    app,
    clock,
    dataDir,
    deliverAndRead: async () => {
      await app.mailWorker.deliverDue();
      return readMailDrop(path.join(dataDir, 'mail'));
    },
    close: async () => {
      await app.close();
      await database.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A route's response schema decides what leaves: fast-json-stringify drops a
 * property the schema does not declare, and turns a null into "" where the
 * schema says string. Every answer a test gets must be exactly what the route
 * built, or the request fails and names what its schema lost.
 */
function answersKeepWhatWasBuilt(app: FastifyInstance): void {
  const built = new WeakMap<object, unknown>();
  app.addHook('preSerialization', async (request, _reply, payload) => {
    built.set(request, JSON.parse(JSON.stringify(payload)) as unknown);
    return payload;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!built.has(request) || typeof payload !== 'string') return payload;
    const expected = built.get(request);
    built.delete(request);
    if (!isDeepStrictEqual(JSON.parse(payload), expected)) {
      const mismatch = `${request.method} ${request.routeOptions.url} (${reply.statusCode}): its response schema changed the answer: sent ${payload}, built ${JSON.stringify(expected)}`;
      console.error(mismatch);
      throw new Error(mismatch);
    }
    return payload;
  });
}

/**
 * Browsers send Origin with every request that changes something, and the
 * service takes a cookie-carried change only from its own pages: the
 * requests of the tests come from the Guichet's page too, unless a test
 * states an Origin or a Sec-Fetch-Site of its own.
 */
export function asGuichetPage(app: FastifyInstance): void {
  const origin = new URL(app.ctx.config.publicUrl).origin;
  const inject = app.inject.bind(app) as (options: InjectOptions) => Promise<LightMyRequestResponse>;
  Object.assign(app, {
    inject: (options: InjectOptions) => {
      const headers: Record<string, string | string[] | number | undefined> = { ...options.headers };
      if (!('origin' in headers) && !('sec-fetch-site' in headers)) headers.origin = origin;
      return inject({ ...options, headers });
    },
  });
}

export { UNTRUSTED_ORGANISATION };

export async function addUntrustedOrganisation(app: FastifyInstance): Promise<void> {
  await insertOrganisations(app.ctx.db, [UNTRUSTED_ORGANISATION]);
}

/** Saint-Étienne: a commune, trusted by the default legal-category rule. */
export const TRUSTED_SIREN = '214202186';

export function validRegistration(overrides: { email?: string; siren?: string; captchaId: string; captchaAnswer?: string }) {
  return {
    identity: { civility: 'Mme', lastName: 'Martin', firstName: 'Claire', jobTitle: 'Cheffe de projet renouvellement urbain', quartiersFertiles: false },
    organisation: { siren: overrides.siren ?? TRUSTED_SIREN },
    contact: { email: overrides.email ?? 'claire.martin@saint-etienne.fr', phone: '04 77 48 77 48' },
    confirm: { captchaId: overrides.captchaId, captchaAnswer: overrides.captchaAnswer ?? CAPTCHA_TEXT, termsAccepted: true },
  };
}

export async function newCaptcha(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/captcha' });
  if (res.statusCode !== 200) throw new Error(`captcha: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

export interface Cluster {
  urls: string[];
  apps: FastifyInstance[];
  close(): Promise<void>;
}

/**
 * Several service instances on one database, each listening on loopback with
 * its own mail worker, as behind a load balancer. They use the real clock.
 */
export async function startCluster(size: number, env: Record<string, string> = {}): Promise<Cluster> {
  const dataDir = tempDir('guichet-cluster-');
  const database = await freshDatabase(dataDir, inject('templateDatabase'));
  const apps: FastifyInstance[] = [];
  const urls: string[] = [];
  for (let i = 0; i < size; i++) {
    const app = await buildApp(
      loadConfig({ DATA_DIR: dataDir, WEB_ROOT: '', PUBLIC_URL: 'http://guichet.test', DATABASE_URL: database.url, MAIL_POLL_MS: '100', ...env }),
      { logger: false, captchaText: () => CAPTCHA_TEXT },
    );
    urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
    apps.push(app);
  }
  return {
    urls,
    apps,
    close: async () => {
      for (const app of apps) await app.close();
      await database.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
