import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RejectionReason } from '../../common/api/staff.js';
import { recordEvent } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../shared/domain-error.js';
import type { Clock } from '../shared/time.js';

export const DEFAULT_REJECTION_REASONS = [
  "L'organisme de rattachement n'a pas pu être vérifié.",
  "L'adresse e-mail n'est pas une adresse professionnelle nominative.",
  "La fonction indiquée ne justifie pas un accès à ANRUSCOPE.",
  'Une demande ou un compte existe déjà pour cette personne.',
  'Les informations saisies sont incomplètes ou erronées.',
];

export async function seedRejectionReasons(db: Kysely<Database>, clock: Clock): Promise<void> {
  const row = await db.selectFrom('rejection_reasons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(row.n) > 0) return;
  const now = clock.now().toISOString();
  await db
    .insertInto('rejection_reasons')
    .values(DEFAULT_REJECTION_REASONS.map((label, position) => ({ id: randomUUID(), label, active: 1 as const, position, created_at: now })))
    .execute();
}

function view(r: { id: string; label: string; active: number }): RejectionReason {
  return { id: r.id, label: r.label, active: r.active === 1 };
}

export async function listReasons(ctx: AppContext, includeInactive: boolean): Promise<RejectionReason[]> {
  let query = ctx.db.selectFrom('rejection_reasons').select(['id', 'label', 'active']).orderBy('position').orderBy('created_at');
  if (!includeInactive) query = query.where('active', '=', 1);
  return (await query.execute()).map(view);
}

/** The label of an active reason, as a rejection records it (reasons can be edited later). */
export async function activeReasonLabel(ctx: AppContext, id: string): Promise<string> {
  const reason = await ctx.db.selectFrom('rejection_reasons').select('label').where('id', '=', id).where('active', '=', 1).executeTakeFirst();
  if (!reason) throw new DomainError('validation_failed', 'Choisissez un motif de rejet dans la liste.', { reasonId: 'Choisissez un motif de rejet dans la liste.' });
  return reason.label;
}

export async function createReason(ctx: AppContext, actor: string, label: string, active: boolean): Promise<RejectionReason> {
  const now = ctx.clock.now().toISOString();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('rejection_reasons').select((eb) => eb.fn.max('position').as('p')).executeTakeFirstOrThrow();
    await trx
      .insertInto('rejection_reasons')
      .values({ id, label, active: active ? 1 : 0, position: Number(last.p ?? -1) + 1, created_at: now })
      .execute();
    await recordEvent(trx, now, { actor, action: 'rejection_reason_saved', subjectType: 'rejection_reason', subjectId: id, details: { after: { label, active } } });
  });
  return { id, label, active };
}

export async function updateReason(ctx: AppContext, actor: string, id: string, label: string, active: boolean): Promise<RejectionReason> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('rejection_reasons').select(['label', 'active']).where('id', '=', id).executeTakeFirst();
    if (!before) throw new DomainError('reason_not_found', "Ce motif de rejet n'existe pas.");
    await trx.updateTable('rejection_reasons').set({ label, active: active ? 1 : 0 }).where('id', '=', id).execute();
    await recordEvent(trx, now, {
      actor,
      action: 'rejection_reason_saved',
      subjectType: 'rejection_reason',
      subjectId: id,
      details: { before: { label: before.label, active: before.active === 1 }, after: { label, active } },
    });
  });
  return { id, label, active };
}
