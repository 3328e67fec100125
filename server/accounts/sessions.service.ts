import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionResponse } from '../../common/api/contracts.js';
import type { Civility } from '../../common/registration/steps.js';
import { STAFF_ROLES, type Role } from '../../common/staff/roles.js';
import { recordEvent } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { Account, Database } from '../db/schema.js';
import { enqueueMail } from '../mail/outbox.repository.js';
import { takeMailSlot } from '../mail/recipient-quota.js';
import { accountLockedEmail, recipientOf } from '../mail/templates.js';
import { DomainError } from '../shared/domain-error.js';
import { hashToken, randomToken } from '../shared/secrets.js';
import type { SessionUser } from '../shared/session-user.js';
import { isoAfter } from '../shared/time.js';
import { newLinkUrl } from './accounts.service.js';
import { verifyAgainstNothing, verifyPassword } from './password-hash.js';

// The CNIL accepts a 9-character password only with a limit on attempts:
// an account locks after 5 failures in a row, a client address after 20
// failures in 15 minutes; both for 15 minutes. A locked sign-in gets the
// same answer as a wrong password, so the lock reveals nothing. Each attempt
// is taken before its password is checked and counts as a failure until it
// succeeds: attempts in flight at once are held to the same limits.
export const ACCOUNT_MAX_FAILURES = 5;
export const CLIENT_MAX_FAILURES = 20;
export const LOCK_MINUTES = 15;
const CLIENT_WINDOW_MS = 15 * 60_000;

export const INVALID_CREDENTIALS = new DomainError('invalid_credentials', 'Identifiant ou mot de passe incorrect.');

export interface SignedIn {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export function toSessionResponse(user: SessionUser): SessionResponse {
  return { email: user.email, firstName: user.firstName, lastName: user.lastName, civility: user.civility as Civility | '', role: user.role };
}

function toUser(account: Account): SessionUser {
  return {
    id: account.id,
    email: account.email,
    firstName: account.first_name,
    lastName: account.last_name,
    civility: account.civility,
    role: account.role,
  };
}

/**
 * Takes one of the client address's attempts before any password is checked.
 * One statement counts it only while the address is under its limit and not
 * locked, so that a burst sent at once gets CLIENT_MAX_FAILURES checks, not
 * one per request. The attempt counts as a failure until a success gives it back.
 */
async function takeClientAttempt(ctx: AppContext, client: string): Promise<boolean> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - CLIENT_WINDOW_MS).toISOString();
  const taken = await ctx.db
    .insertInto('sign_in_throttle')
    .values({ client, failures: 1, window_started_at: nowIso, locked_until: null })
    .onConflict((oc) =>
      oc
        .column('client')
        .doUpdateSet((eb) => ({
          failures: eb.case().when('sign_in_throttle.window_started_at', '<', windowStart).then(1).else(eb('sign_in_throttle.failures', '+', 1)).end(),
          window_started_at: eb
            .case()
            .when('sign_in_throttle.window_started_at', '<', windowStart)
            .then(nowIso)
            .else(eb.ref('sign_in_throttle.window_started_at'))
            .end(),
        }))
        .where((eb) =>
          eb.and([
            eb.or([eb('sign_in_throttle.locked_until', 'is', null), eb('sign_in_throttle.locked_until', '<=', nowIso)]),
            eb.or([eb('sign_in_throttle.failures', '<', CLIENT_MAX_FAILURES), eb('sign_in_throttle.window_started_at', '<', windowStart)]),
          ]),
        ),
    )
    .returning('failures')
    .executeTakeFirst();
  return taken !== undefined;
}

/** Locks the address once its attempts are all spent on failures. */
async function lockClientIfSpent(ctx: AppContext, client: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .updateTable('sign_in_throttle')
    .set({ locked_until: isoAfter(ctx.clock, LOCK_MINUTES * 60_000), failures: 0, window_started_at: now })
    .where('client', '=', client)
    .where('failures', '>=', CLIENT_MAX_FAILURES)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .execute();
}

async function giveBackClientAttempt(ctx: AppContext, client: string): Promise<void> {
  await ctx.db
    .updateTable('sign_in_throttle')
    .set((eb) => ({ failures: eb.case().when('failures', '>', 0).then(eb('failures', '-', 1)).else(0).end() }))
    .where('client', '=', client)
    .execute();
}

/**
 * Takes one of the account's attempts before its password is checked, and
 * returns the account with the count so far, or nothing when there is no
 * attempt to take (unknown, not active, locked, or its last attempts already
 * in flight). One guarded UPDATE decides, so concurrent attempts cannot all
 * read "4 failures" and all be checked.
 */
async function takeAccountAttempt(ctx: AppContext, email: string): Promise<Account | undefined> {
  const now = ctx.clock.now().toISOString();
  return ctx.db
    .updateTable('accounts')
    .set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) }))
    .where('email', '=', email)
    .where('status', '=', 'active')
    .where('password_hash', 'is not', null)
    .where('failed_sign_ins', '<', ACCOUNT_MAX_FAILURES)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returningAll()
    .executeTakeFirst();
}

/**
 * Called when the attempt that took the account's last one fails: locks the
 * account and emails its owner, within the address's public mail quota. The
 * guard makes it one lock and one notice, and none when a success in the
 * meantime gave the attempts back.
 */
async function lockAccount(ctx: AppContext, account: Account, client: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const mailed = await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx
      .updateTable('accounts')
      .set({ failed_sign_ins: 0, locked_until: isoAfter(ctx.clock, LOCK_MINUTES * 60_000) })
      .where('id', '=', account.id)
      .where('failed_sign_ins', '>=', ACCOUNT_MAX_FAILURES)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returning('id')
      .executeTakeFirst();
    if (!locked) return false;
    const mail = await takeMailSlot(trx, ctx.clock, account.email);
    if (mail) await enqueueMail(trx, account.email, accountLockedEmail(recipientOf(account), LOCK_MINUTES, newLinkUrl(ctx)), now);
    await recordEvent(trx, now, {
      actor: 'system',
      action: 'account_locked',
      subjectType: 'account',
      subjectId: account.id,
      details: { minutes: LOCK_MINUTES, failures: ACCOUNT_MAX_FAILURES, client, emailed: mail },
    });
    return mail;
  });
  if (mailed) ctx.mailQueued();
}

/**
 * Attempts are taken (client address first, then account) before the
 * password is checked; without both, a dummy check spends the same time and
 * the answer is the same as for a wrong password.
 */
export async function signIn(ctx: AppContext, email: string, password: string, client: string): Promise<SignedIn> {
  const clientAttempt = await takeClientAttempt(ctx, client);
  const account = clientAttempt ? await takeAccountAttempt(ctx, email) : undefined;
  const ok = account ? await verifyPassword(account.password_hash!, password) : await verifyAgainstNothing(password);
  if (!ok || !account) {
    if (clientAttempt) await lockClientIfSpent(ctx, client);
    if (account && account.failed_sign_ins >= ACCOUNT_MAX_FAILURES) await lockAccount(ctx, account, client);
    throw INVALID_CREDENTIALS;
  }
  await ctx.db.updateTable('accounts').set({ failed_sign_ins: 0 }).where('id', '=', account.id).execute();
  await giveBackClientAttempt(ctx, client);
  const now = ctx.clock.now().toISOString();
  const token = randomToken();
  const expiresAt = isoAfter(ctx.clock, ctx.config.sessionTtlHours * 3_600_000);
  await ctx.db
    .insertInto('sessions')
    .values({ id: randomUUID(), token_hash: hashToken(token), account_id: account.id, created_at: now, expires_at: expiresAt, last_seen_at: now })
    .execute();
  return { token, expiresAt, user: toUser(account) };
}

/** last_seen_at is written when older than this: activity is known to the minute, without a write per request. */
const LAST_SEEN_STEP_MS = 60_000;

function idleTimeoutMs(ctx: AppContext, role: Role): number {
  const staff = (STAFF_ROLES as readonly Role[]).includes(role);
  return (staff ? ctx.config.staffIdleTimeoutMinutes : ctx.config.idleTimeoutMinutes) * 60_000;
}

/**
 * The person a session token stands for, or null: the session must be
 * within its absolute end and its idle timeout, and the account still
 * active (an account disabled or no longer active loses its sessions at once).
 * A session found idle is deleted, so that no clock change revives it.
 */
export async function sessionUser(ctx: AppContext, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .selectAll('accounts')
    .select(['sessions.id as session_id', 'sessions.created_at as session_created_at', 'sessions.last_seen_at'])
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', now.toISOString())
    .where('accounts.status', '=', 'active')
    .executeTakeFirst();
  if (!row) return null;
  const lastSeen = Date.parse(row.last_seen_at ?? row.session_created_at);
  if (now.getTime() - lastSeen >= idleTimeoutMs(ctx, row.role)) {
    await ctx.db.deleteFrom('sessions').where('id', '=', row.session_id).execute();
    return null;
  }
  if (now.getTime() - lastSeen >= LAST_SEEN_STEP_MS) {
    const stale = new Date(now.getTime() - LAST_SEEN_STEP_MS).toISOString();
    await ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('id', '=', row.session_id)
      .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<=', stale)]))
      .execute();
  }
  return toUser(row);
}

export async function signOut(ctx: AppContext, token: string | undefined): Promise<void> {
  if (!token) return;
  await ctx.db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Ends every session of the account, in the caller's transaction when given one. */
export async function endSessions(db: Kysely<Database>, accountId: string): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}

/** "Se déconnecter partout": the person's sessions on every browser and desk end, this one included. */
export async function signOutEverywhere(ctx: AppContext, user: SessionUser): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await endSessions(trx, user.id);
    await recordEvent(trx, now, { actor: user.id, action: 'signed_out_everywhere', subjectType: 'account', subjectId: user.id });
  });
}
