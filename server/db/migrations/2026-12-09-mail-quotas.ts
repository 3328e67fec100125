import type { Kysely } from 'kysely';

// Emails that anyone can make the service send (a new link, "adresse déjà
// utilisée", a lock notice) are limited per recipient, in the database so
// that every instance counts the same: one row per address holds the times
// of its last five such emails, newest first, all that 3 an hour and 5 a day
// need.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mail_quotas')
    .addColumn('recipient', 'text', (c) => c.primaryKey())
    .addColumn('sent_1', 'text', (c) => c.notNull())
    .addColumn('sent_2', 'text')
    .addColumn('sent_3', 'text')
    .addColumn('sent_4', 'text')
    .addColumn('sent_5', 'text')
    .execute();
  await db.schema.createIndex('mail_quotas_sent_1').on('mail_quotas').column('sent_1').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mail_quotas').execute();
}
