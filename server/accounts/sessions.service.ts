import { randomUUID } from 'node:crypto';
import type { SessionResponse } from '../../common/api/contracts.js';
import type { Civility } from '../../common/registration/steps.js';
import type { Role } from '../../common/staff/roles.js';
import { recordEvent } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { Account } from '../db/schema.js';
import { DomainError } from '../http/errors.js';
import { enqueueMail } from '../mail/outbox.repository.js';
import { takeMailSlot } from '../mail/recipient-quota.js';
import { accountLockedEmail, recipientOf } from '../mail/templates.js';
import { hashToken, randomToken } from '../shared/secrets.js';
import { isoAfter } from '../shared/time.js';
import { newLinkUrl } from './accounts.service.js';
import { verifyAgainstNothing, verifyPassword } from './password-hash.js';

// The CNIL accepts a 9-character password only with a limit on attempts:
// an account locks after 5 failures in a row, a client address after 20
// failures in 15 minutes; both for 15 minutes. A locked sign-in gets the
// same answer as a wrong password, so the lock reveals nothing.
export const ACCOUNT_MAX_FAILURES = 5;
export const CLIENT_MAX_FAILURES = 20;
export const LOCK_MINUTES = 15;
const CLIENT_WINDOW_MS = 15 * 60_000;

export const INVALID_CREDENTIALS = new DomainError(401, 'invalid_credentials', 'Identifiant ou mot de passe incorrect.');

/** Who is calling, as the access checks and services need it. */
export interface SessionUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  civility: string;
  role: Role;
}

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

async function clientLocked(ctx: AppContext, client: string, now: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('sign_in_throttle').select('locked_until').where('client', '=', client).executeTakeFirst();
  return !!row?.locked_until && row.locked_until > now;
}

async function recordClientFailure(ctx: AppContext, client: string): Promise<void> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - CLIENT_WINDOW_MS).toISOString();
  await ctx.db
    .insertInto('sign_in_throttle')
    .values({ client, failures: 1, window_started_at: nowIso, locked_until: null })
    .onConflict((oc) =>
      oc.column('client').doUpdateSet((eb) => ({
        failures: eb.case().when('sign_in_throttle.window_started_at', '<', windowStart).then(1).else(eb('sign_in_throttle.failures', '+', 1)).end(),
        window_started_at: eb
          .case()
          .when('sign_in_throttle.window_started_at', '<', windowStart)
          .then(nowIso)
          .else(eb.ref('sign_in_throttle.window_started_at'))
          .end(),
      })),
    )
    .execute();
  await ctx.db
    .updateTable('sign_in_throttle')
    .set({ locked_until: isoAfter(ctx.clock, LOCK_MINUTES * 60_000), failures: 0, window_started_at: nowIso })
    .where('client', '=', client)
    .where('failures', '>=', CLIENT_MAX_FAILURES)
    .execute();
}

/**
 * Counts a failure on the account; the one that reaches the limit locks it
 * and emails its owner, within the address's public mail quota. One guarded
 * UPDATE counts and locks: failures of a concurrent burst that checked the
 * account before it locked find it locked here and count for nothing, so a
 * lock sends one notice, however many attempts were in flight.
 */
async function recordAccountFailure(ctx: AppContext, account: Account, client: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const until = isoAfter(ctx.clock, LOCK_MINUTES * 60_000);
  const mailed = await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('accounts')
      .set((eb) => {
        const reachesLimit = eb('failed_sign_ins', '>=', ACCOUNT_MAX_FAILURES - 1);
        return {
          failed_sign_ins: eb.case().when(reachesLimit).then(0).else(eb('failed_sign_ins', '+', 1)).end(),
          locked_until: eb.case().when(reachesLimit).then(until).else(eb.ref('locked_until')).end(),
        };
      })
      .where('id', '=', account.id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returning('locked_until')
      .executeTakeFirst();
    if (!updated?.locked_until || updated.locked_until <= now) return false;
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

export async function signIn(ctx: AppContext, email: string, password: string, client: string): Promise<SignedIn> {
  const now = ctx.clock.now().toISOString();
  const account = await ctx.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
  const usable = account?.status === 'active' && !!account.password_hash && !(account.locked_until && account.locked_until > now);
  const blocked = await clientLocked(ctx, client, now);
  const ok = usable && !blocked ? await verifyPassword(account.password_hash!, password) : await verifyAgainstNothing(password);
  if (!ok || !account) {
    if (!blocked) {
      await recordClientFailure(ctx, client);
      if (usable) await recordAccountFailure(ctx, account!, client);
    }
    throw INVALID_CREDENTIALS;
  }
  if (account.failed_sign_ins > 0) {
    await ctx.db.updateTable('accounts').set({ failed_sign_ins: 0 }).where('id', '=', account.id).execute();
  }
  const token = randomToken();
  const expiresAt = isoAfter(ctx.clock, ctx.config.sessionTtlHours * 3_600_000);
  await ctx.db
    .insertInto('sessions')
    .values({ id: randomUUID(), token_hash: hashToken(token), account_id: account.id, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, expiresAt, user: toUser(account) };
}

export async function sessionUser(ctx: AppContext, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const account = await ctx.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .selectAll('accounts')
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', ctx.clock.now().toISOString())
    .executeTakeFirst();
  return account ? toUser(account) : null;
}

export async function signOut(ctx: AppContext, token: string | undefined): Promise<void> {
  if (!token) return;
  await ctx.db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}
