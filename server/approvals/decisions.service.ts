import type { RequestDetail } from '../../common/api/staff.js';
import { findAccount, findAccountByEmail } from '../accounts/accounts.repository.js';
import { inviteAccount } from '../accounts/accounts.service.js';
import { countEvents, recordEvent } from '../audit/audit.repository.js';
import { actorNames } from '../audit/history.js';
import { inTransaction, type AppContext } from '../context.js';
import type { Registration } from '../db/schema.js';
import { enqueueMail } from '../mail/outbox.repository.js';
import { cancelledEmail, recipientOf, rejectedEmail } from '../mail/templates.js';
import { findRegistration, holdOf, recordDecision, releaseHold, takeHold } from '../registrations/registrations.repository.js';
import { approveInTransaction } from '../registrations/registrations.service.js';
import { DomainError } from '../shared/domain-error.js';
import type { SessionUser } from '../shared/session-user.js';
import { isoAfter } from '../shared/time.js';
import { verifyDomain } from '../trust/domains.service.js';
import { emailDomain } from '../trust/email-domains.js';
import { activeReasonLabel } from './rejection-reasons.service.js';
import { REQUEST_NOT_FOUND, requestDetail } from './request-detail.service.js';

/** Opening a request holds it this long, so two approvers don't work the same one. */
export const CLAIM_MINUTES = 10;
/** Set-password emails per account and 24 hours, the first one included. */
export const MAX_INVITATIONS_PER_DAY = 4;

/** Four eyes: the staff member who typed a request for a caller never decides it. */
export const OWN_ENTRY = new DomainError('own_entry', 'Vous avez saisi cette demande vous-même : un autre valideur doit la traiter.');

async function loadRegistration(ctx: AppContext, id: string): Promise<Registration> {
  const row = await findRegistration(ctx.db, id);
  if (!row) throw REQUEST_NOT_FOUND;
  return row;
}

async function nameOf(ctx: AppContext, accountId: string | null): Promise<string | null> {
  if (!accountId) return null;
  return (await actorNames(ctx.db, [accountId])).get(accountId) ?? null;
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

/** Takes (or renews) the claim on a pending request: of two approvers opening the same request at once, one wins. */
export async function claim(ctx: AppContext, id: string, user: SessionUser): Promise<RequestDetail> {
  const now = ctx.clock.now().toISOString();
  const until = isoAfter(ctx.clock, CLAIM_MINUTES * 60_000);
  await inTransaction(ctx, async (tctx) => {
    const before = await holdOf(tctx.db, id);
    if (!before) throw REQUEST_NOT_FOUND;
    // Holding one's own entry would only keep the colleague who must decide it away.
    if (before.entered_by === user.id) throw OWN_ENTRY;
    if (!(await takeHold(tctx.db, id, user.id, until, now))) {
      throw (await conflictFor(tctx, await loadRegistration(tctx, id), user)) ?? REQUEST_NOT_FOUND;
    }
    const renewal = before.claimed_by === user.id && !!before.claimed_until && before.claimed_until > now;
    if (!renewal) {
      await recordEvent(tctx.db, now, { actor: user.id, action: 'claimed', subjectType: 'registration', subjectId: id, details: { until } });
    }
  });
  return requestDetail(ctx, id, user);
}

export async function release(ctx: AppContext, id: string, user: SessionUser): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await inTransaction(ctx, async (tctx) => {
    if (await releaseHold(tctx.db, id, user.id)) {
      await recordEvent(tctx.db, now, { actor: user.id, action: 'released', subjectType: 'registration', subjectId: id });
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
  await inTransaction(ctx, async (tctx) => {
    const held = await takeHold(tctx.db, id, user.id, isoAfter(ctx.clock, 60_000), now);
    const registration = await loadRegistration(tctx, id);
    if (onMerits && registration.entered_by === user.id) throw OWN_ENTRY;
    if (!held) throw (await conflictFor(tctx, registration, user)) ?? REQUEST_NOT_FOUND;
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
    if (await findAccountByEmail(tctx.db, registration.email)) {
      throw new DomainError('account_exists', `Un compte existe déjà pour l'adresse ${registration.email} : rejetez cette demande comme doublon.`);
    }
    await approveInTransaction(tctx, registration, user.id, reason);
    if (withDomain) {
      const why = `Vérifié à l'approbation de la demande de ${registration.first_name} ${registration.last_name} <${registration.email}>`;
      await verifyDomain(tctx.db, now, user.id, registration.siren, emailDomain(registration.email), why);
    }
  });
}

export async function reject(ctx: AppContext, id: string, user: SessionUser, reasonId: string, comment: string): Promise<void> {
  const reason = await activeReasonLabel(ctx, reasonId);
  await decide(ctx, id, user, true, async (tctx, registration, now) => {
    await recordDecision(tctx.db, id, { status: 'rejected', decidedAt: now, decidedBy: user.id, rejection: { reason, comment } });
    await enqueueMail(tctx.db, registration.email, rejectedEmail(recipientOf(registration), registration.organisation_name, reason, comment), now);
    await recordEvent(tctx.db, now, {
      actor: user.id,
      action: 'rejected',
      subjectType: 'registration',
      subjectId: id,
      details: { before: 'pending', after: 'rejected', reason, comment },
    });
  });
}

export async function cancel(ctx: AppContext, id: string, user: SessionUser): Promise<void> {
  await decide(ctx, id, user, false, async (tctx, registration, now) => {
    await recordDecision(tctx.db, id, { status: 'cancelled', decidedAt: now, decidedBy: user.id });
    await enqueueMail(tctx.db, registration.email, cancelledEmail(recipientOf(registration), registration.organisation_name), now);
    await recordEvent(tctx.db, now, { actor: user.id, action: 'cancelled', subjectType: 'registration', subjectId: id, details: { before: 'pending', after: 'cancelled' } });
  });
}

export async function resendInvitation(ctx: AppContext, id: string, user: SessionUser): Promise<void> {
  const registration = await loadRegistration(ctx, id);
  const account = registration.account_id ? await findAccount(ctx.db, registration.account_id) : undefined;
  if (!account) throw new DomainError('no_account', "Cette demande n'a pas encore de compte : elle doit d'abord être approuvée.");
  if (account.status !== 'invited') {
    throw new DomainError(
      'already_active',
      'Le mot de passe de ce compte est déjà défini. La personne peut utiliser « Mot de passe oublié » sur la page de connexion.',
    );
  }
  const since = new Date(ctx.clock.now().getTime() - 24 * 3_600_000).toISOString();
  // Links the owner asked for themselves have their own quota: they must not use up the desk's.
  const sent = await countEvents(ctx.db, { subjectType: 'account', subjectId: account.id, action: 'invited', since, notBy: 'applicant' });
  if (sent >= MAX_INVITATIONS_PER_DAY) {
    throw new DomainError(
      'invitation_limit',
      `${MAX_INVITATIONS_PER_DAY} invitations ont déjà été envoyées à cette adresse en 24 heures. Vérifiez l'adresse avec la personne, ou réessayez demain.`,
    );
  }
  await inTransaction(ctx, (tctx) => inviteAccount(tctx, account, user.id));
  ctx.mailQueued();
}
