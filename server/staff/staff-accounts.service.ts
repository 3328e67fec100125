import { randomUUID } from 'node:crypto';
import type { StaffAccount } from '../../common/api/staff.js';
import { STAFF_ROLES, type StaffRole } from '../../common/staff/roles.js';
import { inviteAccount } from '../accounts/accounts.service.js';
import { recordEvent } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { Account } from '../db/schema.js';
import { DomainError } from '../http/errors.js';

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
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('accounts').select('id').where('email', '=', input.email).executeTakeFirst();
    if (existing) {
      throw new DomainError(409, 'account_exists', `Un compte existe déjà pour l'adresse ${input.email}.`, { email: `Un compte existe déjà pour l'adresse ${input.email}.` });
    }
    await trx.insertInto('accounts').values(account).execute();
    await recordEvent(trx, now, { actor, action: 'staff_created', subjectType: 'account', subjectId: account.id, details: { email: input.email, role: input.role } });
    link = await inviteAccount({ ...ctx, db: trx }, account, actor, { firstLink: true });
  });
  ctx.mailQueued();
  return { account: toStaffAccount(account), link };
}
