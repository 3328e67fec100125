import type { Kysely } from 'kysely';

// A new set-password link replaces the account's older unused ones: they stop
// working and say why (a newer email was sent) rather than "already used".
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('superseded_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tokens').dropColumn('superseded_at').execute();
}
