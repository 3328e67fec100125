import { type Kysely } from 'kysely';

// The staff side: claims and decisions on requests, canned rejection reasons,
// sign-in throttling per account and per client.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('registrations').addColumn('claimed_by', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('claimed_until', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('decided_by', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('rejection_reason', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('rejection_comment', 'text').execute();
  await db.schema.createIndex('registrations_siren').on('registrations').column('siren').execute();

  await db.schema.alterTable('accounts').addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('accounts').addColumn('locked_until', 'text').execute();
  await db.schema.createIndex('accounts_siren').on('accounts').column('siren').execute();

  await db.schema
    .createTable('rejection_reasons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('client', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_throttle').execute();
  await db.schema.dropTable('rejection_reasons').execute();
  await db.schema.dropIndex('accounts_siren').execute();
  await db.schema.alterTable('accounts').dropColumn('locked_until').execute();
  await db.schema.alterTable('accounts').dropColumn('failed_sign_ins').execute();
  await db.schema.dropIndex('registrations_siren').execute();
  for (const column of ['rejection_comment', 'rejection_reason', 'decided_by', 'claimed_until', 'claimed_by']) {
    await db.schema.alterTable('registrations').dropColumn(column).execute();
  }
}
