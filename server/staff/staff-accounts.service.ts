import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionsEnded, StaffAccount } from '../../common/api/staff.js';
import { ROLE_LABELS, STAFF_ROLES, type StaffRole } from '../../common/staff/roles.js';
import { inviteAccount } from '../accounts/accounts.service.js';
import { revokeTokens } from '../accounts/tokens.js';
import { recordEvent } from '../audit/audit.repository.js';
import { inTransaction, type AppContext } from '../context.js';
import type { Account, AccountStatus, Database } from '../db/schema.js';
import { DomainError, FORBIDDEN } from '../shared/domain-error.js';

export function toStaffAccount(a: Pick<Account, 'id' | 'email' | 'first_name' | 'last_name' | 'role' | 'status' | 'created_at'>): StaffAccount {
  return { id: a.id, email: a.email, firstName: a.first_name, lastName: a.last_name, role: a.role, status: a.status, createdAt: a.created_at };
}

export async function listStaff(ctx: AppContext): Promise<StaffAccount[]> {
  const rows = await ctx.db
    .selectFrom('accounts')
    .select(['id', 'email', 'first_name', 'last_name', 'role', 'status', 'created_at'])
    .where('role', 'in', [...STAFF_ROLES])
    .orderBy('last_name')
    .orderBy('first_name')
    .execute();
  return rows.map(toStaffAccount);
}

export interface NewStaff {
  email: string;
  firstName: string;
  lastName: string;
  role: StaffRole;
}

/**
 * Creates a staff account and emails its set-password link. Returns the
 * account and the raw link token, which only the command line shows.
 */
export async function createStaff(ctx: AppContext, actor: string, input: NewStaff): Promise<{ account: StaffAccount; link: string }> {
  const now = ctx.clock.now().toISOString();
  const account: Account = {
    id: randomUUID(),
    email: input.email,
    civility: '',
    last_name: input.lastName,
    first_name: input.firstName,
    job_title: '',
    phone: '',
    siren: null,
    role: input.role,
    status: 'invited',
    password_hash: null,
    created_at: now,
    activated_at: null,
    failed_sign_ins: 0,
    locked_until: null,
  };
  let link = '';
  await inTransaction(ctx, async (tctx) => {
    const existing = await tctx.db.selectFrom('accounts').select('id').where('email', '=', input.email).executeTakeFirst();
    if (existing) {
      throw new DomainError('account_exists', `Un compte existe déjà pour l'adresse ${input.email}.`, { email: `Un compte existe déjà pour l'adresse ${input.email}.` });
    }
    await tctx.db.insertInto('accounts').values(account).execute();
    await recordEvent(tctx.db, now, { actor, action: 'staff_created', subjectType: 'account', subjectId: account.id, details: { email: input.email, role: input.role } });
    link = await inviteAccount(tctx, account, actor, { firstLink: true });
  });
  ctx.mailQueued();
  return { account: toStaffAccount(account), link };
}

const STAFF_NOT_FOUND = new DomainError('staff_not_found', "Ce compte du personnel n'existe pas.");
const LAST_ADMIN = new DomainError(
  'last_admin',
  "Ce compte est le dernier administrateur actif : nommez d'abord un autre administrateur, sinon plus personne ne pourrait gérer les comptes du personnel.",
);

interface AccessChange {
  status: AccountStatus;
  role: StaffRole;
  /** What goes into the audit event besides the admin and the account. */
  action: string;
  details: Record<string, unknown>;
}

const isActiveAdmin = (a: { role: string; status: string }) => a.role === 'admin' && a.status === 'active';

async function endSessionsOf(db: Kysely<Database>, accountId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Applies an admin's change to a staff account, in one transaction that
 * first takes every active admin's row: of two admins withdrawing each other
 * at the same moment, the second waits for the first to commit, then finds
 * itself no longer an admin, or its target the last one, and is refused.
 * SQLite takes its write lock at BEGIN (db/database.ts); on PostgreSQL the
 * UPDATE below takes the rows' locks, which a SELECT could not do portably.
 */
async function changeAccess(
  ctx: AppContext,
  actor: string,
  id: string,
  decide: (db: Kysely<Database>, account: Account, now: string) => Promise<AccessChange>,
): Promise<StaffAccount> {
  const now = ctx.clock.now().toISOString();
  const { account, mailed } = await inTransaction(ctx, async (tctx) => {
    await tctx.db.updateTable('accounts').set({ role: 'admin' }).where('role', '=', 'admin').where('status', '=', 'active').execute();
    const admin = await tctx.db.selectFrom('accounts').select(['role', 'status']).where('id', '=', actor).executeTakeFirst();
    // Demoted or disabled by another admin since this request was let in.
    if (!admin || !isActiveAdmin(admin)) throw FORBIDDEN;
    const before = await tctx.db.selectFrom('accounts').selectAll().where('id', '=', id).where('role', 'in', [...STAFF_ROLES]).executeTakeFirst();
    if (!before) throw STAFF_NOT_FOUND;
    const change = await decide(tctx.db, before, now);
    if (isActiveAdmin(before) && !isActiveAdmin(change)) {
      const others = await tctx.db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'admin')
        .where('status', '=', 'active')
        .where('id', '!=', id)
        .executeTakeFirstOrThrow();
      if (Number(others.n) === 0) throw LAST_ADMIN;
    }
    const after = { ...before, status: change.status, role: change.role };
    await tctx.db.updateTable('accounts').set({ status: after.status, role: after.role }).where('id', '=', id).execute();
    await recordEvent(tctx.db, now, { actor, action: change.action, subjectType: 'account', subjectId: id, details: change.details });
    // Back from a withdrawal before its password was set: the link sent before was revoked with it.
    const invited = before.status === 'disabled' && after.status === 'invited';
    if (invited) await inviteAccount(tctx, after, actor);
    return { account: after, mailed: invited };
  });
  if (mailed) ctx.mailQueued();
  return toStaffAccount(account);
}

/** Withdraws a staff member's access: no sign-in, every session ended, any set-password link revoked. */
export function disableStaff(ctx: AppContext, actor: string, id: string, reason: string): Promise<StaffAccount> {
  return changeAccess(ctx, actor, id, async (trx, account) => {
    if (account.status === 'disabled') throw new DomainError('already_disabled', 'Ce compte est déjà désactivé.');
    const sessionsEnded = await endSessionsOf(trx, account.id);
    await revokeTokens(trx, ctx.clock, account.id);
    return { status: 'disabled', role: account.role as StaffRole, action: 'staff_disabled', details: { before: account.status, after: 'disabled', reason, sessionsEnded } };
  });
}

/** Gives a disabled staff member their access back: active if they had set a password, otherwise invited again. */
export function enableStaff(ctx: AppContext, actor: string, id: string, reason: string): Promise<StaffAccount> {
  return changeAccess(ctx, actor, id, async (_trx, account) => {
    if (account.status !== 'disabled') throw new DomainError('not_disabled', "Ce compte n'est pas désactivé : il n'y a rien à réactiver.");
    const status = account.password_hash ? 'active' : 'invited';
    return { status, role: account.role as StaffRole, action: 'staff_enabled', details: { before: 'disabled', after: status, reason } };
  });
}

/** A new role, checked on the person's very next request (sessions read the account's role each time). */
export function changeStaffRole(ctx: AppContext, actor: string, id: string, role: StaffRole, reason: string): Promise<StaffAccount> {
  return changeAccess(ctx, actor, id, async (_trx, account) => {
    if (account.role === role) throw new DomainError('same_role', `Ce compte a déjà le rôle « ${ROLE_LABELS[role]} ».`);
    return { status: account.status, role, action: 'staff_role_changed', details: { before: account.role, after: role, reason } };
  });
}

/** Signs a staff member out everywhere (a lost laptop, say); they may sign in again. */
export async function endStaffSessions(ctx: AppContext, actor: string, id: string, reason: string): Promise<SessionsEnded> {
  let ended = 0;
  await changeAccess(ctx, actor, id, async (trx, account) => {
    ended = await endSessionsOf(trx, account.id);
    return { status: account.status, role: account.role as StaffRole, action: 'staff_sessions_ended', details: { reason, sessionsEnded: ended } };
  });
  const message =
    ended === 0
      ? "Aucune session n'était ouverte pour ce compte."
      : `${ended === 1 ? '1 session fermée' : `${ended} sessions fermées`} : la personne doit se reconnecter.`;
  return { ended, message };
}
