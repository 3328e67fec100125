import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppContext } from './context.js';
import type { Database } from './db/schema.js';
import { pruneHits } from './http/rate-limit-store.js';
import { pruneMailQuotas } from './mail/recipient-quota.js';
import { pruneMailDrop } from './mail/transport.js';
import type { Clock } from './shared/time.js';

/** Deletes what has expired and serves no one: rate-limit windows, mail quotas, sessions, captcha challenges and spent proofs of work. Safe on every instance at once. */
export async function pruneExpired(db: Kysely<Database>, clock: Clock): Promise<void> {
  await pruneHits(db, clock);
  await pruneMailQuotas(db, clock);
  const now = clock.now().toISOString();
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  await db.deleteFrom('captcha_challenges').where('expires_at', '<', now).execute();
  await db.deleteFrom('proof_of_work_spent').where('expires_at', '<', now).execute();
}

/** What housekeeping does each round: expired rows, then dropped messages whose links can no longer work (left from before SMTP_URL was set, too). */
export async function runHousekeeping(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>): Promise<void> {
  const { db, clock, config } = ctx;
  await pruneExpired(db, clock);
  await pruneMailDrop(config.mailDropDir, clock.now(), config.tokenTtlHours * 3_600_000);
}

export function startHousekeeping(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>, log: FastifyBaseLogger, everyMs = 5 * 60_000): () => void {
  const timer = setInterval(() => {
    runHousekeeping(ctx).catch((error: unknown) => log.warn({ err: error }, 'housekeeping failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
