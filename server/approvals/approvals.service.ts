import type { QueueResponse, RelatedRecord, RequestDetail } from '../../common/api/staff.js';
import type { QueueQuery } from '../../common/staff/schemas.js';
import { inviteAccount } from '../accounts/accounts.service.js';
import { recordEvent } from '../audit/audit.repository.js';
import { historyOf } from '../audit/history.js';
import type { AppContext } from '../context.js';
import type { Registration } from '../db/schema.js';
import { findOrganisation } from '../directory/directory.repository.js';
import { toOrganisationView } from '../directory/directory.service.js';
import { enqueueMail } from '../mail/outbox.repository.js';
import { cancelledEmail, recipientOf, rejectedEmail } from '../mail/templates.js';
import { approveInTransaction } from '../registrations/registrations.service.js';
import { DomainError } from '../shared/domain-error.js';
import type { SessionUser } from '../shared/session-user.js';
import { isoAfter } from '../shared/time.js';
import { domainCheck, verifyDomain } from '../trust/domains.service.js';
import { emailDomain } from '../trust/email-domains.js';
import { filteredQueue, queueBase, toQueueItem } from './queue.repository.js';

export const QUEUE_PAGE_SIZE = 20;
/** Opening a request holds it this long, so two approvers don't work the same one. */
export const CLAIM_MINUTES = 10;
/** Set-password emails per account and 24 hours, the first one included. */
export const MAX_INVITATIONS_PER_DAY = 4;

const NOT_FOUND = new DomainError('request_not_found', "Cette demande n'existe pas.");

/** Four eyes: the staff member who typed a request for a caller never decides it. */
export const OWN_ENTRY = new DomainError('own_entry', 'Vous avez saisi cette demande vous-même : un autre valideur doit la traiter.');

export async function listQueue(ctx: AppContext, query: QueueQuery): Promise<QueueResponse> {
  const now = ctx.clock.now();
  const base = filteredQueue(ctx.db, query);
  const [count, rows, waiting] = await Promise.all([
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .orderBy('r.created_at', 'asc')
      .orderBy('r.id')
      .limit(QUEUE_PAGE_SIZE)
      .offset((query.page - 1) * QUEUE_PAGE_SIZE)
      .execute(),
    ctx.db
      .selectFrom('registrations')
      .where('status', '=', 'pending')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .executeTakeFirstOrThrow(),
  ]);
  const oldest = waiting.oldest as string | null;
  return {
    page: query.page,
    pageSize: QUEUE_PAGE_SIZE,
    total: Number(count.n),
    waiting: Number(waiting.n),
    oldestWaitingSeconds: oldest ? Math.max(0, Math.floor((now.getTime() - Date.parse(oldest)) / 1000)) : null,
    items: rows.map((r) => toQueueItem(r, now)),
  };
}

async function loadRegistration(ctx: AppContext, id: string): Promise<Registration> {
  const row = await ctx.db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw NOT_FOUND;
  return row;
}

async function nameOf(ctx: AppContext, accountId: string | null): Promise<string | null> {
  if (!accountId) return null;
  const row = await ctx.db.selectFrom('accounts').select(['first_name', 'last_name']).where('id', '=', accountId).executeTakeFirst();
  return row ? `${row.first_name} ${row.last_name}` : null;
}

const STATUS_WORDS: Record<string, string> = { approved: 'approuvée', rejected: 'rejetée', cancelled: 'annulée' };

/** Why someone cannot act on a request right now, in words an approver understands. */
async function conflictFor(ctx: AppContext, registration: Registration, user: SessionUser): Promise<DomainError | null> {
  const now = ctx.clock.now().toISOString();
  if (registration.status !== 'pending') {
    const by = await nameOf(ctx, registration.decided_by);
    const when = registration.decided_at ? ` le ${formatDate(registration.decided_at)}` : '';
    return new DomainError(
      'already_decided',
      `Cette demande a déjà été traitée : ${STATUS_WORDS[registration.status] ?? registration.status}${when}${by ? ` par ${by}` : ''}.`,
    );
  }
  if (registration.claimed_by && registration.claimed_by !== user.id && registration.claimed_until && registration.claimed_until > now) {
    const by = (await nameOf(ctx, registration.claimed_by)) ?? 'un autre valideur';
    return new DomainError('claimed_by_other', `Cette demande est en cours d'examen par ${by} jusqu'à ${formatTime(registration.claimed_until)}.`);
  }
  return null;
}

function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));
}

function formatTime(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));
}

const RELATED_LIMIT = 50;

/**
 * The newest of rows found by email and by SIREN, each list newest first:
 * one ordered index walk per column, where a single query on "email or
 * SIREN" sorts every match (thousands for a large commune's SIREN).
 */
function newest<R extends { id: string; created_at: string }>(lists: R[][]): R[] {
  const byId = new Map(lists.flat().map((r) => [r.id, r]));
  return [...byId.values()].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, RELATED_LIMIT);
}

export async function requestDetail(ctx: AppContext, id: string, user: SessionUser): Promise<RequestDetail> {
  const now = ctx.clock.now();
  const registration = await loadRegistration(ctx, id);
  const row = await queueBase(ctx.db).where('r.id', '=', id).executeTakeFirstOrThrow();
  const organisation = await findOrganisation(ctx.db, registration.siren);
  const requestsBy = (column: 'email' | 'siren', value: string) =>
    ctx.db
      .selectFrom('registrations')
      .select(['id', 'email', 'first_name', 'last_name', 'siren', 'status', 'created_at'])
      .where(column, '=', value)
      .where('id', '!=', id)
      .orderBy('created_at', 'desc')
      .limit(RELATED_LIMIT)
      .execute();
  const accountsBy = (column: 'email' | 'siren', value: string) =>
    ctx.db
      .selectFrom('accounts')
      .select(['id', 'email', 'first_name', 'last_name', 'siren', 'status', 'created_at'])
      .where(column, '=', value)
      .where((eb) => (registration.account_id ? eb('id', '!=', registration.account_id) : eb.lit(true)))
      .orderBy('created_at', 'desc')
      .limit(RELATED_LIMIT)
      .execute();
  const [requestsByEmail, requestsBySiren, accountsByEmail, accountsBySiren, domain] = await Promise.all([
    requestsBy('email', registration.email),
    requestsBy('siren', registration.siren),
    accountsBy('email', registration.email),
    accountsBy('siren', registration.siren),
    domainCheck(ctx.db, registration.siren, registration.email),
  ]);
  const relatedRequests = newest([requestsByEmail, requestsBySiren]);
  const relatedAccounts = newest([accountsByEmail, accountsBySiren]);
  const related: RelatedRecord[] = [
    ...relatedRequests.map((r) => ({ kind: 'registration' as const, ...relatedFields(r, registration.email) })),
    ...relatedAccounts.map((a) => ({ kind: 'account' as const, ...relatedFields(a, registration.email) })),
  ];
  const subjects = [{ type: 'registration', id }];
  // An organisation added to the directory from this request: the addition shows in its history.
  if (registration.off_directory === 1) subjects.push({ type: 'organisation', id: registration.siren });
  if (registration.account_id) subjects.push({ type: 'account', id: registration.account_id });
  const item = toQueueItem(row, now);
  const account = registration.account_id
    ? await ctx.db.selectFrom('accounts').select('status').where('id', '=', registration.account_id).executeTakeFirst()
    : undefined;
  return {
    ...item,
    civility: registration.civility as RequestDetail['civility'],
    jobTitle: registration.job_title,
    phone: registration.phone,
    quartiersFertiles: registration.quartiers_fertiles === 1,
    trusted: registration.trusted === 1,
    trustReason: registration.trust_reason,
    enteredBy: await nameOf(ctx, registration.entered_by),
    decidedAt: registration.decided_at,
    decidedBy: await nameOf(ctx, registration.decided_by),
    rejection: registration.rejection_reason ? { reason: registration.rejection_reason, comment: registration.rejection_comment ?? '' } : null,
    directoryRecord: organisation ? toOrganisationView(organisation) : null,
    declaredCommune: registration.organisation_commune,
    related,
    duplicateFlag: related.some((r) => r.sameEmail),
    history: await historyOf(ctx.db, subjects),
    claimedByMe: item.claimedBy !== null && registration.claimed_by === user.id,
    enteredByMe: registration.entered_by === user.id,
    accountStatus: account?.status ?? null,
    domainCheck: domain,
  };
}

function relatedFields(
  r: { id: string; email: string; first_name: string; last_name: string; siren: string | null; status: string; created_at: string },
  email: string,
): Omit<RelatedRecord, 'kind'> {
  return {
    id: r.id,
    email: r.email,
    name: `${r.first_name} ${r.last_name}`,
    siren: r.siren,
    status: r.status,
    createdAt: r.created_at,
    sameEmail: r.email === email,
  };
}

/**
 * Takes (or renews) the claim on a pending request. The conditional UPDATE is
 * the arbiter: of two approvers opening the same request at once, one wins.
 */
export async function claim(ctx: AppContext, id: string, user: SessionUser): Promise<RequestDetail> {
  const now = ctx.clock.now().toISOString();
  const until = isoAfter(ctx.clock, CLAIM_MINUTES * 60_000);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('registrations').select(['claimed_by', 'claimed_until', 'entered_by']).where('id', '=', id).executeTakeFirst();
    if (!before) throw NOT_FOUND;
    // Holding one's own entry would only keep the colleague who must decide it away.
    if (before.entered_by === user.id) throw OWN_ENTRY;
    const result = await trx
      .updateTable('registrations')
      .set({ claimed_by: user.id, claimed_until: until })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', user.id), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw (await conflictFor({ ...ctx, db: trx }, await loadRegistration({ ...ctx, db: trx }, id), user)) ?? NOT_FOUND;
    }
    const renewal = before.claimed_by === user.id && !!before.claimed_until && before.claimed_until > now;
    if (!renewal) {
      await recordEvent(trx, now, { actor: user.id, action: 'claimed', subjectType: 'registration', subjectId: id, details: { until } });
    }
  });
  return requestDetail(ctx, id, user);
}

export async function release(ctx: AppContext, id: string, user: SessionUser): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('registrations')
      .set({ claimed_by: null, claimed_until: null })
      .where('id', '=', id)
      .where('claimed_by', '=', user.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) {
      await recordEvent(trx, now, { actor: user.id, action: 'released', subjectType: 'registration', subjectId: id });
    }
  });
}

/**
 * Runs a decision on a pending request that nobody else holds, in one
 * transaction: the guarded UPDATE takes the row first, so a concurrent
 * decision on the same request finds it decided (or held) and is refused.
 * A decision on the person (`onMerits`: approval, rejection) is refused to
 * whoever typed the request; a cancellation at the caller's demand is not.
 */
async function decide(
  ctx: AppContext,
  id: string,
  user: SessionUser,
  onMerits: boolean,
  apply: (tctx: AppContext, registration: Registration, now: string) => Promise<void>,
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const held = await trx
      .updateTable('registrations')
      .set({ claimed_by: user.id, claimed_until: isoAfter(ctx.clock, 60_000) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', user.id), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    const registration = await loadRegistration(tctx, id);
    if (onMerits && registration.entered_by === user.id) throw OWN_ENTRY;
    if (Number(held.numUpdatedRows) !== 1) throw (await conflictFor(tctx, registration, user)) ?? NOT_FOUND;
    await apply(tctx, registration, now);
  });
  ctx.mailQueued();
}

export interface ApproveOptions {
  reason?: string;
  /** Verify the request's email domain for its organisation too: the next colleague's request passes on its own. */
  verifyDomain?: boolean;
}

export async function approve(ctx: AppContext, id: string, user: SessionUser, { reason = 'Approuvée par un valideur', verifyDomain: withDomain = false }: ApproveOptions = {}): Promise<void> {
  await decide(ctx, id, user, true, async (tctx, registration, now) => {
    const existing = await tctx.db.selectFrom('accounts').select('id').where('email', '=', registration.email).executeTakeFirst();
    if (existing) {
      throw new DomainError(
        'account_exists',
        `Un compte existe déjà pour l'adresse ${registration.email} : rejetez cette demande comme doublon.`,
      );
    }
    await approveInTransaction(tctx, registration, user.id, reason);
    if (withDomain) {
      const why = `Vérifié à l'approbation de la demande de ${registration.first_name} ${registration.last_name} <${registration.email}>`;
      await verifyDomain(tctx.db, now, user.id, registration.siren, emailDomain(registration.email), why);
    }
  });
}

export async function reject(ctx: AppContext, id: string, user: SessionUser, reasonId: string, comment: string): Promise<void> {
  const reason = await ctx.db.selectFrom('rejection_reasons').select('label').where('id', '=', reasonId).where('active', '=', 1).executeTakeFirst();
  if (!reason) throw new DomainError('validation_failed', 'Choisissez un motif de rejet dans la liste.', { reasonId: 'Choisissez un motif de rejet dans la liste.' });
  await decide(ctx, id, user, true, async (tctx, registration, now) => {
    await tctx.db
      .updateTable('registrations')
      .set({ status: 'rejected', decided_at: now, decided_by: user.id, rejection_reason: reason.label, rejection_comment: comment, claimed_by: null, claimed_until: null })
      .where('id', '=', id)
      .execute();
    await enqueueMail(tctx.db, registration.email, rejectedEmail(recipientOf(registration), registration.organisation_name, reason.label, comment), now);
    await recordEvent(tctx.db, now, {
      actor: user.id,
      action: 'rejected',
      subjectType: 'registration',
      subjectId: id,
      details: { before: 'pending', after: 'rejected', reason: reason.label, comment },
    });
  });
}

export async function cancel(ctx: AppContext, id: string, user: SessionUser): Promise<void> {
  await decide(ctx, id, user, false, async (tctx, registration, now) => {
    await tctx.db
      .updateTable('registrations')
      .set({ status: 'cancelled', decided_at: now, decided_by: user.id, claimed_by: null, claimed_until: null })
      .where('id', '=', id)
      .execute();
    await enqueueMail(tctx.db, registration.email, cancelledEmail(recipientOf(registration), registration.organisation_name), now);
    await recordEvent(tctx.db, now, { actor: user.id, action: 'cancelled', subjectType: 'registration', subjectId: id, details: { before: 'pending', after: 'cancelled' } });
  });
}

export async function resendInvitation(ctx: AppContext, id: string, user: SessionUser): Promise<void> {
  const registration = await loadRegistration(ctx, id);
  const account = registration.account_id
    ? await ctx.db.selectFrom('accounts').selectAll().where('id', '=', registration.account_id).executeTakeFirst()
    : undefined;
  if (!account) throw new DomainError('no_account', "Cette demande n'a pas encore de compte : elle doit d'abord être approuvée.");
  if (account.status !== 'invited') {
    throw new DomainError(
      'already_active',
      'Le mot de passe de ce compte est déjà défini. La personne peut utiliser « Mot de passe oublié » sur la page de connexion.',
    );
  }
  const since = new Date(ctx.clock.now().getTime() - 24 * 3_600_000).toISOString();
  const sent = await ctx.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject_type', '=', 'account')
    .where('subject_id', '=', account.id)
    .where('action', '=', 'invited')
    // Links the owner asked for themselves have their own quota: they must not use up the desk's.
    .where('actor', '!=', 'applicant')
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(sent.n) >= MAX_INVITATIONS_PER_DAY) {
    throw new DomainError(
      'invitation_limit',
      `${MAX_INVITATIONS_PER_DAY} invitations ont déjà été envoyées à cette adresse en 24 heures. Vérifiez l'adresse avec la personne, ou réessayez demain.`,
    );
  }
  await ctx.db.transaction().execute(async (trx) => inviteAccount({ ...ctx, db: trx }, account, user.id));
  ctx.mailQueued();
}
