import type { Kysely } from 'kysely';
import { legalCategoryLabel } from '../../common/directory/legal-categories.js';
import type { Database, Organisation, TrustRule } from '../db/schema.js';
import type { Clock } from '../shared/time.js';
import { isDomainVerified } from './domains.repository.js';
import { emailDomain, isFreeMailDomain } from './email-domains.js';
import { countTrustRules, findMatchingRules, insertTrustRuleIfAbsent } from './trust.repository.js';

export interface TrustDecision {
  trusted: boolean;
  ruleId: string | null;
  /** Why the organisation was (or was not) trusted, stored on the request. */
  reason: string;
}

// Public bodies ANRU works with by law: local and regional authorities, their
// groupings and the public housing offices.
export const DEFAULT_TRUSTED_LEGAL_CATEGORIES = ['7210', '7220', '7225', '7229', '7230', '7343', '7344', '7346', '7348', '7371'];

/** Seeds the default rules into an empty trust domain (first start). */
export async function seedTrustDomain(db: Kysely<Database>, clock: Clock): Promise<void> {
  if ((await countTrustRules(db)) > 0) return;
  const createdAt = clock.now().toISOString();
  for (const code of DEFAULT_TRUSTED_LEGAL_CATEGORIES) {
    await insertTrustRuleIfAbsent(db, {
      kind: 'legal_category',
      value: code,
      reason: `Règle par défaut : ${legalCategoryLabel(code)}`,
      createdBy: null,
      createdAt,
    });
  }
}

export function describeRule(rule: TrustRule): string {
  return rule.kind === 'siren'
    ? `SIREN ${rule.value} inscrit au domaine de confiance (${rule.reason})`
    : `Catégorie juridique ${rule.value} – ${legalCategoryLabel(rule.value)} (${rule.reason})`;
}

/**
 * Whether a request skips approval, and why (the reason is for approvers,
 * never for the applicant). The organisation must be in the trust domain
 * (a rule naming its SIREN wins over a rule on its legal category: it is the
 * more specific decision) AND the email's domain must be verified for that
 * organisation: anyone can pick a commune in the wizard, only its people have
 * its addresses. `byOrganisationOnly` restores the older rule (the
 * organisation alone) for a deployment that accepts that risk.
 */
export async function decideTrust(
  db: Kysely<Database>,
  organisation: Organisation,
  email: string,
  { byOrganisationOnly = false } = {},
): Promise<TrustDecision> {
  const rules = await findMatchingRules(db, organisation.siren, organisation.legal_category);
  const rule = rules.find((r) => r.kind === 'siren') ?? rules.find((r) => r.kind === 'legal_category');
  if (!rule) {
    return {
      trusted: false,
      ruleId: null,
      reason: `Aucune règle du domaine de confiance ne couvre le SIREN ${organisation.siren} ni la catégorie juridique ${organisation.legal_category}`,
    };
  }
  const covered = describeRule(rule);
  if (byOrganisationOnly) {
    return { trusted: true, ruleId: rule.id, reason: `${covered} ; domaine de l'adresse non contrôlé (confiance par organisme seul)` };
  }
  const domain = emailDomain(email);
  if (isFreeMailDomain(domain)) {
    return { trusted: false, ruleId: null, reason: `${covered}, mais ${domain} est une messagerie grand public : elle ne prouve pas l'appartenance à l'organisme` };
  }
  if (!(await isDomainVerified(db, organisation.siren, domain))) {
    return { trusted: false, ruleId: null, reason: `${covered}, mais le domaine ${domain} n'est pas vérifié pour cet organisme` };
  }
  return { trusted: true, ruleId: rule.id, reason: `${covered} ; domaine ${domain} vérifié pour cet organisme` };
}
