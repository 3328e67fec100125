import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, TrustRule, TrustRuleKind } from '../db/schema.js';

type Db = Kysely<Database>;

export function findMatchingRules(db: Db, siren: string, legalCategory: string): Promise<TrustRule[]> {
  return db
    .selectFrom('trust_rules')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'siren'), eb('value', '=', siren)]),
        eb.and([eb('kind', '=', 'legal_category'), eb('value', '=', legalCategory)]),
      ]),
    )
    .execute();
}

export interface NewTrustRule {
  kind: TrustRuleKind;
  value: string;
  reason: string;
  createdBy: string | null;
  createdAt: string;
}

export async function insertTrustRuleIfAbsent(db: Db, rule: NewTrustRule): Promise<void> {
  await db
    .insertInto('trust_rules')
    .values({
      id: randomUUID(),
      kind: rule.kind,
      value: rule.value,
      reason: rule.reason,
      created_at: rule.createdAt,
      created_by: rule.createdBy,
    })
    .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
    .execute();
}

export async function countTrustRules(db: Db): Promise<number> {
  const row = await db.selectFrom('trust_rules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
