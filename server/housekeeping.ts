import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import { pruneHits } from './http/rate-limit-store.js';
import { pruneMailQuotas } from './mail/recipient-quota.js';
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

export function startHousekeeping(db: Kysely<Database>, clock: Clock, log: FastifyBaseLogger, everyMs = 5 * 60_000): () => void {
  const timer = setInterval(() => {
    pruneExpired(db, clock).catch((error: unknown) => log.warn({ err: error }, 'housekeeping failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
