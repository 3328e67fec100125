import type { Kysely } from 'kysely';
import type { DomainCheck, VerifiedDomainView } from '../../common/api/staff.js';
import { accountNames } from '../accounts/accounts.repository.js';
import { recordEvent } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { Database, OrganisationDomain } from '../db/schema.js';
import { findOrganisation } from '../directory/directory.repository.js';
import { deleteVerifiedDomain, domainsOf, insertVerifiedDomain, isDomainVerified, organisationsVerifying } from './domains.repository.js';
import { emailDomain, isFreeMailDomain } from './email-domains.js';
import { DomainError } from '../shared/domain-error.js';
import type { SessionUser } from '../shared/session-user.js';

/** Who verified a domain when no staff member did: the CSV import of `npm run admin`. */
export const IMPORT_ACTOR = 'import';

const ORGANISATION_NOT_FOUND = new DomainError('organisation_not_found', "Aucun organisme de l'annuaire n'a ce SIREN.");

export function freeMailRefusal(domain: string): DomainError {
  const message = `${domain} est une messagerie grand public : n'importe qui peut y avoir une adresse, ce domaine ne peut donc être vérifié pour aucun organisme.`;
  return new DomainError('free_mail_domain', message, { domain: message });
}

async function toViews(db: Kysely<Database>, rows: OrganisationDomain[]): Promise<VerifiedDomainView[]> {
  const names = await accountNames(db, rows.map((r) => r.verified_by).filter((by) => by !== IMPORT_ACTOR));
  return rows.map((r) => ({
    domain: r.domain,
    reason: r.reason,
    verifiedAt: r.verified_at,
    verifiedBy: r.verified_by === IMPORT_ACTOR ? 'Import' : (names.get(r.verified_by) ?? 'Compte supprimé'),
  }));
}

export async function listDomains(ctx: AppContext, siren: string): Promise<VerifiedDomainView[]> {
  if (!(await findOrganisation(ctx.db, siren))) throw ORGANISATION_NOT_FOUND;
  return toViews(ctx.db, await domainsOf(ctx.db, siren));
}

/**
 * Verifies a domain for an organisation in the caller's transaction, with
 * its audit event; false when it already was. Free-mail domains are refused.
 */
export async function verifyDomain(db: Kysely<Database>, now: string, actor: string, siren: string, domain: string, reason: string): Promise<boolean> {
  if (isFreeMailDomain(domain)) throw freeMailRefusal(domain);
  const added = await insertVerifiedDomain(db, { siren, domain, reason, verifiedBy: actor, verifiedAt: now });
  if (added) {
    await recordEvent(db, now, { actor, action: 'domain_verified', subjectType: 'organisation', subjectId: siren, details: { domain, reason } });
  }
  return added;
}

export async function addDomain(ctx: AppContext, user: SessionUser, siren: string, domain: string, reason: string): Promise<VerifiedDomainView[]> {
  if (!(await findOrganisation(ctx.db, siren))) throw ORGANISATION_NOT_FOUND;
  const now = ctx.clock.now().toISOString();
  const added = await ctx.db.transaction().execute((trx) => verifyDomain(trx, now, user.id, siren, domain, reason));
  if (!added) throw new DomainError('domain_already_verified', `Le domaine ${domain} est déjà vérifié pour cet organisme.`);
  return toViews(ctx.db, await domainsOf(ctx.db, siren));
}

export async function removeDomain(ctx: AppContext, user: SessionUser, siren: string, domain: string, reason: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await deleteVerifiedDomain(trx, siren, domain);
    if (!removed) throw new DomainError('domain_not_verified', `Le domaine ${domain} n'est pas vérifié pour cet organisme (il a peut-être déjà été retiré).`);
    await recordEvent(trx, now, {
      actor: user.id,
      action: 'domain_removed',
      subjectType: 'organisation',
      subjectId: siren,
      details: { domain, reason, before: { reason: removed.reason, verifiedAt: removed.verified_at, verifiedBy: removed.verified_by } },
    });
  });
}

/** The evidence a request's email gives about its organisation, for the approver. */
export async function domainCheck(db: Kysely<Database>, siren: string, email: string): Promise<DomainCheck> {
  const domain = emailDomain(email);
  const [verifiedForOrganisation, others] = await Promise.all([isDomainVerified(db, siren, domain), organisationsVerifying(db, domain, siren)]);
  return {
    domain,
    freeMail: isFreeMailDomain(domain),
    verifiedForOrganisation,
    verifiedForOthers: others.map((o) => ({ siren: o.siren, name: o.name ?? null })),
  };
}
