import type { Kysely } from 'kysely';
import { legalCategoryLabel } from '../../common/directory/legal-categories.js';
import type { Database, Organisation, TrustRule } from '../db/schema.js';
import type { Clock } from '../shared/time.js';
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

/** A rule naming the SIREN wins over a rule on the legal category: it is the more specific decision. */
export async function decideTrust(db: Kysely<Database>, organisation: Organisation): Promise<TrustDecision> {
  const rules = await findMatchingRules(db, organisation.siren, organisation.legal_category);
  const rule = rules.find((r) => r.kind === 'siren') ?? rules.find((r) => r.kind === 'legal_category');
  if (!rule) {
    return {
      trusted: false,
      ruleId: null,
      reason: `Aucune règle du domaine de confiance ne couvre le SIREN ${organisation.siren} ni la catégorie juridique ${organisation.legal_category}`,
    };
  }
  return { trusted: true, ruleId: rule.id, reason: describeRule(rule) };
}
