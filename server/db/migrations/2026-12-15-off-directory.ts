import type { Kysely } from 'kysely';

// A valid SIREN outside the directory still leads on: the request carries the
// organisation's name and commune as the applicant gave them, flagged for the
// approver. A closed unit says since when: Sirene gives the start of its
// current period (dateDebut), which for a ceased unit is the day it closed.
// Units imported before this version have no date until Sirene gives it again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('registrations').addColumn('off_directory', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('registrations').addColumn('organisation_commune', 'text').execute();
  await db.schema.alterTable('organisations').addColumn('closed_on', 'text').execute();
  await db.schema.alterTable('staging_units').addColumn('closed_on', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('staging_units').dropColumn('closed_on').execute();
  await db.schema.alterTable('organisations').dropColumn('closed_on').execute();
  await db.schema.alterTable('registrations').dropColumn('organisation_commune').execute();
  await db.schema.alterTable('registrations').dropColumn('off_directory').execute();
}
