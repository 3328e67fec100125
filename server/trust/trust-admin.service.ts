import { randomUUID } from 'node:crypto';
import type { BulkApproveResponse, QueueItem, TrustRuleCreated, TrustRuleView } from '../../common/api/staff.js';
import { legalCategoryLabel } from '../../common/directory/legal-categories.js';
import { accountNames } from '../accounts/accounts.repository.js';
import { approve } from '../approvals/decisions.service.js';
import { recordEvent } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { TrustRule, TrustRuleKind } from '../db/schema.js';
import { queueBase, toQueueItem } from '../registrations/registrations.repository.js';
import { describeRule } from './trust.service.js';
import { DomainError } from '../shared/domain-error.js';
import type { SessionUser } from '../shared/session-user.js';

const RULE_NOT_FOUND = new DomainError('trust_rule_not_found', "Cette règle n'existe pas (elle a peut-être déjà été retirée).");

const LEGAL_CATEGORY_ADMIN_ONLY = new DomainError(
  'legal_category_admin_only',
  'Seul un administrateur peut ajouter ou retirer une règle par catégorie juridique : elle couvre tous les organismes de la catégorie.',
);

/** A legal-category rule lets thousands of organisations skip approval at once: an admin's call; a SIREN rule stays an approver's. */
function mayEdit(user: SessionUser, kind: TrustRuleKind): void {
  if (kind === 'legal_category' && user.role !== 'admin') throw LEGAL_CATEGORY_ADMIN_ONLY;
}

async function toView(ctx: AppContext, rules: TrustRule[]): Promise<TrustRuleView[]> {
  const sirens = rules.filter((r) => r.kind === 'siren').map((r) => r.value);
  const names = new Map<string, string>();
  if (sirens.length > 0) {
    for (const o of await ctx.db.selectFrom('organisations').select(['siren', 'name']).where('siren', 'in', sirens).execute()) names.set(o.siren, o.name);
  }
  const people = await accountNames(ctx.db, rules.map((r) => r.created_by).filter((c): c is string => c !== null));
  return rules.map((r) => ({
    id: r.id,
    kind: r.kind,
    value: r.value,
    label: r.kind === 'siren' ? (names.get(r.value) ?? "Organisme absent de l'annuaire") : legalCategoryLabel(r.value),
    reason: r.reason,
    createdAt: r.created_at,
    createdBy: r.created_by ? (people.get(r.created_by) ?? null) : null,
  }));
}

export async function listRules(ctx: AppContext): Promise<TrustRuleView[]> {
  return toView(ctx, await ctx.db.selectFrom('trust_rules').selectAll().orderBy('kind').orderBy('value').execute());
}

/** Pending requests whose organisation a rule covers. */
async function coveredPending(ctx: AppContext, rule: TrustRule): Promise<QueueItem[]> {
  const query = queueBase(ctx.db).where('r.status', '=', 'pending');
  const rows = await (rule.kind === 'siren' ? query.where('r.siren', '=', rule.value) : query.where('o.legal_category', '=', rule.value))
    .orderBy('r.created_at')
    .limit(500)
    .execute();
  const now = ctx.clock.now();
  return rows.map((r) => toQueueItem(r, now));
}

export async function addRule(ctx: AppContext, user: SessionUser, kind: TrustRuleKind, value: string, reason: string): Promise<TrustRuleCreated> {
  const now = ctx.clock.now().toISOString();
  mayEdit(user, kind);
  const rule: TrustRule = { id: randomUUID(), kind, value, reason, created_at: now, created_by: user.id };
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('trust_rules').select('id').where('kind', '=', kind).where('value', '=', value).executeTakeFirst();
    if (existing) throw new DomainError('trust_rule_exists', 'Cette règle fait déjà partie du domaine de confiance.');
    await trx.insertInto('trust_rules').values(rule).execute();
    await recordEvent(trx, now, { actor: user.id, action: 'trust_rule_added', subjectType: 'trust_rule', subjectId: rule.id, details: { after: { kind, value, reason } } });
  });
  const [view] = await toView(ctx, [rule]);
  return { rule: view!, coveredPending: await coveredPending(ctx, rule) };
}

export async function approveCovered(ctx: AppContext, user: SessionUser, ruleId: string, ids: string[]): Promise<BulkApproveResponse> {
  const rule = await ctx.db.selectFrom('trust_rules').selectAll().where('id', '=', ruleId).executeTakeFirst();
  if (!rule) throw RULE_NOT_FOUND;
  const covered = new Set((await coveredPending(ctx, rule)).map((r) => r.id));
  const result: BulkApproveResponse = { approved: [], skipped: [] };
  for (const id of ids) {
    if (!covered.has(id)) {
      result.skipped.push({ id, message: "Cette demande n'est plus en attente ou n'est pas couverte par la règle." });
      continue;
    }
    try {
      await approve(ctx, id, user, { reason: describeRule(rule) });
      result.approved.push(id);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result.skipped.push({ id, message: error.message });
    }
  }
  return result;
}

export async function removeRule(ctx: AppContext, user: SessionUser, ruleId: string, reason: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const rule = await trx.selectFrom('trust_rules').selectAll().where('id', '=', ruleId).executeTakeFirst();
    if (!rule) throw RULE_NOT_FOUND;
    mayEdit(user, rule.kind);
    await trx.deleteFrom('trust_rules').where('id', '=', ruleId).execute();
    await recordEvent(trx, now, {
      actor: user.id,
      action: 'trust_rule_removed',
      subjectType: 'trust_rule',
      subjectId: ruleId,
      details: { before: { kind: rule.kind, value: rule.value, reason: rule.reason }, reason },
    });
  });
}
