import type { Kysely } from 'kysely';

// An organisation's verified email domains: a trusted organisation's applicant
// skips approval only when the email's domain is verified for it. Nothing is
// verified at first: existing requests keep their decisions, and every new
// one waits for an approver until domains are verified (by an admin, by an
// approver's approval, or by an import).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organisation_domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('siren', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text', (c) => c.notNull())
    .addColumn('verified_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('organisation_domains_siren_domain', ['siren', 'domain'])
    .execute();
  // "Is this domain verified for another organisation?", asked on every request page.
  await db.schema.createIndex('organisation_domains_domain').on('organisation_domains').column('domain').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organisation_domains').execute();
}
