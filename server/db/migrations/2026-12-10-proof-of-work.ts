import type { Kysely } from 'kysely';

// The proof of work offered instead of the captcha image. Its challenges are
// signed with a key every instance of a deployment must share, hence kept in
// the database (created by the first instance to start). A challenge is stored
// once spent, so that each is solved for one request only, whichever instance
// receives it; its row can go once the challenge has expired.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('service_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('proof_of_work_spent')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('proof_of_work_spent_expires_at').on('proof_of_work_spent').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('proof_of_work_spent').execute();
  await db.schema.dropTable('service_secrets').execute();
}
