import type { Kysely } from 'kysely';

// Housekeeping deletes personal data once its retention period is over, and
// blanks the personal fields of old audit events: each kind is found by the
// date its period counts from. An audit event is rewritten once, and marked
// so, to be passed over afterwards.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('pseudonymised_at', 'text').execute();
  await db.schema.createIndex('audit_events_pseudonymised_at').on('audit_events').columns(['pseudonymised_at', 'at']).execute();
  await db.schema.createIndex('registrations_status_decided').on('registrations').columns(['status', 'decided_at']).execute();
  await db.schema.createIndex('accounts_status_created').on('accounts').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('sign_in_throttle_window').on('sign_in_throttle').column('window_started_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sign_in_throttle_window').execute();
  await db.schema.dropIndex('accounts_status_created').execute();
  await db.schema.dropIndex('registrations_status_decided').execute();
  await db.schema.dropIndex('audit_events_pseudonymised_at').execute();
  await db.schema.alterTable('audit_events').dropColumn('pseudonymised_at').execute();
}
