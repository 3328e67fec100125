import type { TokenStatusResponse } from '../../common/api/contracts.js';
import type { Account } from '../db/schema.js';
import { recordEvent } from '../audit/audit.repository.js';
import { inTransaction, type AppContext } from '../context.js';
import { enqueueMail } from '../mail/outbox.repository.js';
import { takeMailSlot } from '../mail/recipient-quota.js';
import { recipientOf, resetPasswordEmail, setPasswordEmail } from '../mail/templates.js';
import { findAccountByEmail } from './accounts.repository.js';
import { containsPersonalData, isCommonPassword } from './common-passwords.js';
import { hashPassword } from './password-hash.js';
import { endSessions } from './sessions.service.js';
import { hasRecentToken, issueToken, PASSWORD_LINKS, revokeTokens, spendToken, supersedeTokens, TOKEN_INVALID, usableToken } from './tokens.js';
import { invalidField } from '../shared/domain-error.js';

export function setPasswordLink(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl}/#/mot-de-passe?jeton=${encodeURIComponent(token)}`;
}

export function newLinkUrl(ctx: AppContext): string {
  return `${ctx.config.publicUrl}/#/mot-de-passe/nouveau-lien`;
}

export async function tokenStatus(ctx: AppContext, token: string): Promise<TokenStatusResponse> {
  const row = await usableToken(ctx.db, ctx.clock, token, PASSWORD_LINKS);
  const account = await ctx.db.selectFrom('accounts').select(['email', 'first_name', 'status']).where('id', '=', row.account_id).executeTakeFirstOrThrow();
  if (account.status === 'disabled') throw TOKEN_INVALID;
  return { status: 'valid', email: account.email, firstName: account.first_name };
}

export async function setPassword(ctx: AppContext, token: string, password: string): Promise<void> {
  const row = await usableToken(ctx.db, ctx.clock, token, PASSWORD_LINKS);
  const account = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', row.account_id).executeTakeFirstOrThrow();
  // A link cannot give back the access an admin withdrew.
  if (account.status === 'disabled') throw TOKEN_INVALID;
  if (isCommonPassword(password)) {
    throw invalidField('password', 'Ce mot de passe fait partie des mots de passe les plus courants : choisissez-en un autre.');
  }
  if (containsPersonalData(password, account.email, [account.first_name, account.last_name])) {
    throw invalidField('password', 'Le mot de passe ne doit contenir ni votre nom, ni votre prénom, ni votre adresse e-mail.');
  }
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await spendToken(trx, ctx.clock, row.id);
    await revokeTokens(trx, ctx.clock, account.id);
    // Whoever signed in with the old password (or took over a session) is out: no session is kept, the link's user has none here.
    await endSessions(trx, account.id);
    const updated = await trx
      .updateTable('accounts')
      .set({ password_hash: passwordHash, status: 'active', activated_at: account.activated_at ?? now })
      .where('id', '=', account.id)
      .where('status', '!=', 'disabled')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw TOKEN_INVALID;
    await recordEvent(trx, now, {
      actor: account.id,
      action: 'password_set',
      subjectType: 'account',
      subjectId: account.id,
      details: { before: account.status, after: 'active' },
    });
  });
}

/**
 * A new-link request this soon after the account's last link changes
 * nothing: a burst of requests mails one link, and the link already on its
 * way keeps working instead of being superseded before it arrives.
 */
export const FRESH_LINK_MINUTES = 2;

// Thrown to roll back a new-link request that found a fresh link, so that the
// mail slot it took is given back.
const FRESH_LINK_FOUND = new Error('fresh link found');

/**
 * Sends a fresh set-password link to an existing account, within the
 * address's public mail quota and unless a link left less than
 * FRESH_LINK_MINUTES ago. The caller answers the same in every case, and
 * whether or not the address has an account.
 */
export async function sendNewLink(ctx: AppContext, email: string): Promise<void> {
  const account = await findAccountByEmail(ctx.db, email);
  if (!account || account.status === 'disabled') return;
  const queued = await inTransaction(ctx, async (tctx) => {
    // The slot first: on PostgreSQL it holds the address's quota row until
    // commit, so concurrent requests look for a fresh link one after the
    // other and each sees the link the one before issued.
    if (!(await takeMailSlot(tctx.db, ctx.clock, account.email))) return false;
    if (await hasRecentToken(tctx.db, ctx.clock, account.id, PASSWORD_LINKS, FRESH_LINK_MINUTES * 60_000)) throw FRESH_LINK_FOUND;
    await inviteAccount(tctx, account, 'applicant');
    return true;
  }).catch((error: unknown) => {
    if (error === FRESH_LINK_FOUND) return false;
    throw error;
  });
  if (queued) ctx.mailQueued();
}

/**
 * Issues a set-password link and queues its email, in the caller's
 * transaction; returns the link. Earlier unused links stop working, unless
 * the account was created in this very transaction (`firstLink`) and so has none.
 * An account that has a password gets a reset link, which works
 * RESET_TOKEN_TTL_MINUTES: a mailbox read by someone else is then open for
 * an hour, not three days. A first invitation works TOKEN_TTL_HOURS.
 */
export async function inviteAccount(ctx: AppContext, account: Account, actor: string, { firstLink = false } = {}): Promise<string> {
  const now = ctx.clock.now().toISOString();
  if (!firstLink) await supersedeTokens(ctx.db, ctx.clock, account.id, PASSWORD_LINKS);
  const reset = account.password_hash !== null;
  const ttlMs = reset ? ctx.config.resetTokenTtlMinutes * 60_000 : ctx.config.tokenTtlHours * 3_600_000;
  const token = await issueToken(ctx.db, ctx.clock, account.id, reset ? 'reset_password' : 'set_password', ttlMs);
  const link = setPasswordLink(ctx, token);
  const mail = reset
    ? resetPasswordEmail(recipientOf(account), link, ctx.config.resetTokenTtlMinutes)
    : setPasswordEmail(recipientOf(account), link, ctx.config.tokenTtlHours);
  await enqueueMail(ctx.db, account.email, mail, now);
  await recordEvent(ctx.db, now, { actor, action: 'invited', subjectType: 'account', subjectId: account.id, details: { email: account.email } });
  return link;
}
