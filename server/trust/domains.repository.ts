import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, OrganisationDomain } from '../db/schema.js';

type Db = Kysely<Database>;

export async function isDomainVerified(db: Db, siren: string, domain: string): Promise<boolean> {
  const row = await db.selectFrom('organisation_domains').select('id').where('siren', '=', siren).where('domain', '=', domain).executeTakeFirst();
  return row !== undefined;
}

export function domainsOf(db: Db, siren: string): Promise<OrganisationDomain[]> {
  return db.selectFrom('organisation_domains').selectAll().where('siren', '=', siren).orderBy('domain').execute();
}

/** The other organisations a domain is verified for, with their names when the directory has them. */
export function organisationsVerifying(db: Db, domain: string, exceptSiren: string, limit = 20) {
  return db
    .selectFrom('organisation_domains as d')
    .leftJoin('organisations as o', 'o.siren', 'd.siren')
    .select(['d.siren', 'o.name'])
    .where('d.domain', '=', domain)
    .where('d.siren', '!=', exceptSiren)
    .orderBy('d.siren')
    .limit(limit)
    .execute();
}

export interface NewVerifiedDomain {
  siren: string;
  domain: string;
  reason: string;
  verifiedBy: string;
  verifiedAt: string;
}

/** Verifies a domain for an organisation; false when it already was. */
export async function insertVerifiedDomain(db: Db, entry: NewVerifiedDomain): Promise<boolean> {
  const result = await db
    .insertInto('organisation_domains')
    .values({ id: randomUUID(), siren: entry.siren, domain: entry.domain, reason: entry.reason, verified_by: entry.verifiedBy, verified_at: entry.verifiedAt })
    .onConflict((oc) => oc.columns(['siren', 'domain']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The removed row, if there was one. */
export function deleteVerifiedDomain(db: Db, siren: string, domain: string): Promise<OrganisationDomain | undefined> {
  return db.deleteFrom('organisation_domains').where('siren', '=', siren).where('domain', '=', domain).returningAll().executeTakeFirst();
}
