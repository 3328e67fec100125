import { sql, type Kysely } from 'kysely';

// Sessions end after a time without requests (shorter for staff) as well as
// at their absolute end, and all of an account's sessions end at once when
// its password changes or its owner signs out everywhere.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
  await sql`UPDATE sessions SET last_seen_at = created_at`.execute(db);
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sessions_account').execute();
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
}
