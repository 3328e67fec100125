import { sql, type Kysely } from 'kysely';

// State that several service instances on one database must share: rate-limit
// counters, and the keys that make a replayed registration a no-op. A partial
// unique index lets the database itself refuse a second pending request for
// one email, whichever instance receives it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_hits_window').on('rate_limit_hits').column('window_ends').execute();

  await db.schema.alterTable('registrations').addColumn('idempotency_key', 'text').execute();
  await db.schema.createIndex('registrations_idempotency_key').unique().on('registrations').column('idempotency_key').execute();
  await db.schema
    .createIndex('registrations_one_pending_per_email')
    .unique()
    .on('registrations')
    .column('email')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('registrations_one_pending_per_email').execute();
  await db.schema.dropIndex('registrations_idempotency_key').execute();
  await db.schema.alterTable('registrations').dropColumn('idempotency_key').execute();
  await db.schema.dropTable('rate_limit_hits').execute();
}
