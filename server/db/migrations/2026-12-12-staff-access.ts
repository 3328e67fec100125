import type { Kysely } from 'kysely';

// An idempotency key answers for the client that chose it, and for its
// request only: a key is unique within its scope (the public web form, one
// kiosk, one staff account), and the SHA-256 of the request it came with is
// kept beside it, so that the same key with another request is refused.
// Keys stored before scopes existed keep no scope and match no later request:
// a replay of one of them is caught as a duplicate of its pending email.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('registrations').addColumn('idempotency_scope', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('idempotency_body_hash', 'text').execute();
  await db.schema.dropIndex('registrations_idempotency_key').execute();
  await db.schema.createIndex('registrations_idempotency').unique().on('registrations').columns(['idempotency_scope', 'idempotency_key']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('registrations_idempotency').execute();
  await db.schema.createIndex('registrations_idempotency_key').unique().on('registrations').column('idempotency_key').execute();
  await db.schema.alterTable('registrations').dropColumn('idempotency_body_hash').execute();
  await db.schema.alterTable('registrations').dropColumn('idempotency_scope').execute();
}
