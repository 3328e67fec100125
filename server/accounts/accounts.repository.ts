import type { Kysely } from 'kysely';
import type { Account, Database } from '../db/schema.js';

type Db = Kysely<Database>;

export async function insertAccount(db: Db, account: Account): Promise<void> {
  await db.insertInto('accounts').values(account).execute();
}

export function findAccount(db: Db, id: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAccountByEmail(db: Db, email: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
}

/** "First Last" of each account among `ids` that still exists, in one query. */
export async function accountNames(db: Db, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const names = new Map<string, string>();
  if (unique.length === 0) return names;
  for (const a of await db.selectFrom('accounts').select(['id', 'first_name', 'last_name']).where('id', 'in', unique).execute()) {
    names.set(a.id, `${a.first_name} ${a.last_name}`);
  }
  return names;
}

/** The newest accounts with the same email, or for the same SIREN, but `exceptId`. */
export function accountsSharing(db: Db, column: 'email' | 'siren', value: string, exceptId: string | null, limit: number) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'first_name', 'last_name', 'siren', 'status', 'created_at'])
    .where(column, '=', value)
    .where((eb) => (exceptId ? eb('id', '!=', exceptId) : eb.lit(true)))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
