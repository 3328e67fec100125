import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { pseudonymiseAuditBefore } from './audit/pseudonymise.js';
import type { Retention } from './config.js';
import type { AppContext } from './context.js';
import type { Database } from './db/schema.js';
import { pruneHits } from './http/rate-limit-store.js';
import { deleteDeliveredBefore } from './mail/outbox.repository.js';
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

const DAY_MS = 24 * 3_600_000;

/**
 * Deletes the personal data whose retention period is over (see the
 * README's "Retention of personal data"), and blanks the personal fields of
 * old audit events. Each period counts from when the data stopped serving.
 */
export async function applyRetention(db: Kysely<Database>, clock: Clock, retention: Retention): Promise<void> {
  const now = clock.now();
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

  await db
    .deleteFrom('registrations')
    .where('status', 'in', ['rejected', 'cancelled'])
    .where('decided_at', '<', ago(retention.rejectedRequestsDays))
    .execute();

  await deleteUnactivatedAccounts(db, ago(retention.unactivatedAccountsDays));

  // A client's row serves its 15-minute window and its lock: past the period, neither can still be running.
  await db
    .deleteFrom('sign_in_throttle')
    .where('window_started_at', '<', ago(retention.signInThrottleDays))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]))
    .execute();

  await deleteDeliveredBefore(db, ago(retention.sentMailDays));
  await pseudonymiseAuditBefore(db, ago(retention.auditDays), now.toISOString());
}

/**
 * Accounts that never set a password, whose last set-password link (or, with
 * none, whose creation) is older than `before`: gone with their links,
 * sessions and the request that opened them, which hold the same personal
 * data. The person can ask again.
 */
async function deleteUnactivatedAccounts(db: Kysely<Database>, before: string): Promise<void> {
  const stale = await db
    .selectFrom('accounts')
    .select('id')
    .where('status', '=', 'invited')
    .where('activated_at', 'is', null)
    .where('created_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('tokens').select('tokens.id').whereRef('tokens.account_id', '=', 'accounts.id').where('tokens.expires_at', '>=', before))),
    )
    // A few hundred a round: the first round on an old database holds no long transaction.
    .limit(500)
    .execute();
  if (stale.length === 0) return;
  const ids = stale.map((a) => a.id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('account_id', 'in', ids).execute();
    await trx.deleteFrom('tokens').where('account_id', 'in', ids).execute();
    await trx.deleteFrom('registrations').where('account_id', 'in', ids).execute();
    await trx.deleteFrom('accounts').where('id', 'in', ids).where('status', '=', 'invited').execute();
  });
}

/** What housekeeping does each round: expired rows, personal data past its retention, then dropped messages whose links can no longer work (left from before SMTP_URL was set, too). */
export async function runHousekeeping(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>): Promise<void> {
  const { db, clock, config } = ctx;
  await pruneExpired(db, clock);
  await applyRetention(db, clock, config.retention);
  const longestLinkMs = Math.max(config.tokenTtlHours * 3_600_000, config.resetTokenTtlMinutes * 60_000);
  await pruneMailDrop(config.mailDropDir, clock.now(), longestLinkMs);
}

export function startHousekeeping(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>, log: FastifyBaseLogger, everyMs = 5 * 60_000): () => void {
  const timer = setInterval(() => {
    runHousekeeping(ctx).catch((error: unknown) => log.warn({ err: error }, 'housekeeping failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
