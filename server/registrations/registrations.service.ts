import { randomUUID } from 'node:crypto';
import type { RegistrationResponse } from '../../common/api/contracts.js';
import { normalizeFrenchPhone } from '../../common/contact/phone.js';
import type { ContactStep, IdentityStep, OrganisationStep } from '../../common/registration/steps.js';
import { insertAccount } from '../accounts/accounts.repository.js';
import { inviteAccount, newLinkUrl } from '../accounts/accounts.service.js';
import { recordEvent, recordEvents, type AuditEvent } from '../audit/audit.repository.js';
import { inTransaction, type AppContext } from '../context.js';
import type { Account, Channel, Organisation, Registration } from '../db/schema.js';
import { isUniqueViolation } from '../db/errors.js';
import { COMMUNE_UNKNOWN_MESSAGE } from '../../common/directory/off-directory.js';
import { communesMatching } from '../directory/communes.js';
import { findOrganisation } from '../directory/directory.repository.js';
import { enqueueMail } from '../mail/outbox.repository.js';
import { takeMailSlot } from '../mail/recipient-quota.js';
import { alreadyRegisteredEmail, pendingApprovalEmail, recipientOf } from '../mail/templates.js';
import { DomainError, invalidField } from '../shared/domain-error.js';
import type { Idempotency } from '../shared/idempotency.js';
import { decideTrust } from '../trust/trust.service.js';
import { insertRegistration, knownAddressee, recordDecision, requestOfKey } from './registrations.repository.js';

export const OUTCOME_MESSAGES: Record<RegistrationResponse['outcome'], string> = {
  invitation_sent:
    'Votre organisme fait partie du domaine de confiance ANRU : un e-mail vous a été adressé. Pour débuter la saisie de votre mot de passe, cliquez sur le lien « ici » qu\'il contient.',
  pending_approval:
    // The same words whatever the reason (organisation, or the email's domain): no hint for a script probing which addresses pass.
    'Votre demande a bien été enregistrée : la suite du processus est soumise à l\'approbation de l\'ANRU. Vous recevrez un e-mail dès que votre demande aura été examinée.',
};

export interface RegistrationData {
  identity: IdentityStep;
  organisation: OrganisationStep;
  contact: ContactStep;
}

export interface Submission {
  data: RegistrationData;
  channel: Channel;
  /** The agent who typed the request for a caller, if any. */
  enteredBy: string | null;
  /** A client's key for this request: sending it again (offline replay) changes nothing. */
  idempotency: Idempotency | null;
  /**
   * When the desk typed the request without the service (the date it says):
   * nothing could be checked then, so it waits for an approver whatever the trust domain says.
   */
  capturedOffline?: string | null;
  /** The enrolled kiosk that captured it, by name: the approver reads where the request comes from. */
  kioskName?: string | null;
}

function answer(trusted: boolean): RegistrationResponse {
  const outcome = trusted ? 'invitation_sent' : 'pending_approval';
  return { outcome, message: OUTCOME_MESSAGES[outcome] };
}

/** The partner account an approved request opens, not yet activated. */
function partnerAccountFor(registration: Registration, now: string): Account {
  return {
    id: randomUUID(),
    email: registration.email,
    civility: registration.civility,
    last_name: registration.last_name,
    first_name: registration.first_name,
    job_title: registration.job_title,
    phone: registration.phone,
    siren: registration.siren,
    role: 'partner',
    status: 'invited',
    password_hash: null,
    created_at: now,
    activated_at: null,
    failed_sign_ins: 0,
    locked_until: null,
  };
}

const approvedEvent = (registration: Registration, actor: string, reason: string): AuditEvent => ({
  actor,
  action: 'approved',
  subjectType: 'registration',
  subjectId: registration.id,
  details: { before: registration.status, after: 'approved', reason },
});

/** Creates the partner account of an approved request, links it, and sends the set-password email, in the caller's transaction. */
export async function approveInTransaction(ctx: AppContext, registration: Registration, actor: string, reason: string): Promise<Account> {
  const now = ctx.clock.now().toISOString();
  const account = partnerAccountFor(registration, now);
  await insertAccount(ctx.db, account);
  await recordDecision(ctx.db, registration.id, { status: 'approved', decidedAt: now, decidedBy: actor, accountId: account.id });
  await recordEvent(ctx.db, now, approvedEvent(registration, actor, reason));
  await inviteAccount(ctx, account, actor, { firstLink: true });
  return account;
}

/**
 * Stores a new request, in the caller's transaction. A request from a
 * trusted organisation is stored already approved, after the account it
 * opens; any other waits for a valideur, and its applicant is told so.
 */
async function storeRegistration(ctx: AppContext, registration: Registration, actor: string, reason: string): Promise<void> {
  const now = registration.created_at;
  const submitted: AuditEvent = {
    actor,
    action: 'submitted',
    subjectType: 'registration',
    subjectId: registration.id,
    details: { channel: registration.channel, siren: registration.siren, trusted: registration.trusted === 1, trustRuleId: registration.trust_rule_id, reason },
  };
  if (registration.trusted !== 1) {
    await insertRegistration(ctx.db, registration);
    await recordEvent(ctx.db, now, submitted);
    await enqueueMail(ctx.db, registration.email, pendingApprovalEmail(recipientOf(registration), registration.organisation_name), now);
    return;
  }
  const account = partnerAccountFor(registration, now);
  await insertAccount(ctx.db, account);
  await insertRegistration(ctx.db, { ...registration, status: 'approved', decided_at: now, account_id: account.id });
  await recordEvents(ctx.db, now, [submitted, approvedEvent(registration, 'system', reason)]);
  await inviteAccount(ctx, account, 'system', { firstLink: true });
}

/** When the email already has an account or a pending request, tells its owner instead of storing anything. */
async function notifyIfKnown(ctx: AppContext, email: string, actor: string, channel: Channel, now: string): Promise<boolean> {
  const existing = await knownAddressee(ctx.db, email);
  if (!existing) return false;
  // Past the address's public mail quota the owner is not told again; the
  // request is answered the same, and staff still see it in the audit trail.
  const notified = await takeMailSlot(ctx.db, ctx.clock, email);
  if (notified) await enqueueMail(ctx.db, email, alreadyRegisteredEmail(recipientOf(existing), newLinkUrl(ctx)), now);
  const action = notified ? 'duplicate_request_notified' : 'duplicate_request_not_notified';
  await recordEvent(ctx.db, now, { actor, action, subjectType: 'email', subjectId: email, details: { channel } });
  return true;
}

/** An organisation the directory lacks, as the applicant names it. */
interface OffDirectoryChoice {
  offDirectory: true;
  siren: string;
  name: string;
  commune: string;
}

/** Why an off-directory request waits, for the approver: nothing vouches for what was typed. */
function offDirectoryReason(siren: string): string {
  return `Organisme hors annuaire : SIREN ${siren} valide mais absent de l'annuaire ; nom et commune déclarés par le demandeur, à vérifier par un valideur`;
}

/**
 * The organisation a request is for: the directory's unit of its SIREN, even
 * when the request names one (the directory knows better); otherwise the
 * organisation as named, if it is, and its commune exists.
 */
async function chosenOrganisation(ctx: AppContext, step: OrganisationStep): Promise<Organisation | OffDirectoryChoice> {
  const organisation = await findOrganisation(ctx.db, step.siren);
  if (organisation) {
    if (organisation.state !== 'A') {
      throw invalidField('organisation.siren', 'Cet organisme est fermé selon le répertoire Sirene : choisissez votre organisme de rattachement actuel.');
    }
    return organisation;
  }
  if (!step.offDirectory) {
    throw invalidField('organisation.siren', "Cet organisme n'est pas dans l'annuaire : recherchez-le de nouveau et sélectionnez-le dans la liste.");
  }
  if (communesMatching(step.offDirectory.commune).length === 0) throw invalidField('organisation.offDirectory.commune', COMMUNE_UNKNOWN_MESSAGE);
  return { offDirectory: true, siren: step.siren, name: step.offDirectory.name, commune: step.offDirectory.commune };
}

const KEY_REUSED = new DomainError(
  'idempotency_key_reused',
  "Cette clé d'idempotence a déjà servi pour une autre demande : une nouvelle demande doit avoir sa propre clé.",
);

/** The answer already given to the request sent with this key in its scope, if any; the key with another request is refused. */
async function replayOf(ctx: AppContext, idempotency: Idempotency | null): Promise<RegistrationResponse | null> {
  if (!idempotency) return null;
  const earlier = await requestOfKey(ctx.db, idempotency.scope, idempotency.key);
  if (!earlier) return null;
  if (earlier.idempotency_body_hash !== idempotency.bodyHash) throw KEY_REUSED;
  return answer(earlier.trusted === 1);
}

/**
 * Records a registration. The answer depends only on the organisation's
 * trust, never on whether the email is known: a known address gets the same
 * answer and, in its mailbox, an email saying a request was made. A request
 * sent again with the same idempotency key gets the first answer and changes
 * nothing.
 */
export async function submitRegistration(ctx: AppContext, submission: Submission): Promise<RegistrationResponse> {
  const { data, channel, enteredBy, idempotency } = submission;
  const replayed = await replayOf(ctx, idempotency);
  if (replayed) return replayed;
  const organisation = await chosenOrganisation(ctx, data.organisation);
  const phone = normalizeFrenchPhone(data.contact.phone);
  if (!phone) throw invalidField('contact.phone', "Le numéro de téléphone n'est pas valide (exemple : 01 23 45 67 89).");
  const where = submission.kioskName ? ` sur la borne « ${submission.kioskName} »` : '';
  const decision = submission.capturedOffline
    ? { trusted: false, ruleId: null, reason: `Saisie hors ligne le ${submission.capturedOffline}${where} : à vérifier par un valideur` }
    : 'offDirectory' in organisation
      ? { trusted: false, ruleId: null, reason: offDirectoryReason(organisation.siren) }
      : await decideTrust(ctx.db, organisation, data.contact.email, { byOrganisationOnly: ctx.config.trustByOrganisationOnly });
  const { identity, contact } = data;
  const now = ctx.clock.now().toISOString();
  const actor = enteredBy ?? 'applicant';
  const registration: Registration = {
    id: randomUUID(),
    created_at: now,
    status: 'pending',
    channel,
    civility: identity.civility,
    last_name: identity.lastName,
    first_name: identity.firstName,
    job_title: identity.jobTitle,
    quartiers_fertiles: identity.quartiersFertiles ? 1 : 0,
    siren: organisation.siren,
    organisation_name: organisation.name,
    email: contact.email,
    phone,
    trusted: decision.trusted ? 1 : 0,
    trust_rule_id: decision.ruleId,
    trust_reason: decision.reason,
    decided_at: null,
    account_id: null,
    entered_by: enteredBy,
    claimed_by: null,
    claimed_until: null,
    decided_by: null,
    rejection_reason: null,
    rejection_comment: null,
    idempotency_key: idempotency?.key ?? null,
    idempotency_scope: idempotency?.scope ?? null,
    idempotency_body_hash: idempotency?.bodyHash ?? null,
    off_directory: 'offDirectory' in organisation ? 1 : 0,
    organisation_commune: 'offDirectory' in organisation ? organisation.commune : null,
  };

  try {
    await inTransaction(ctx, async (tctx) => {
      if (await notifyIfKnown(tctx, contact.email, actor, channel, now)) return;
      await storeRegistration(tctx, registration, actor, decision.reason);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another instance stored the same request (same key) or the same email a moment ago.
    const raced = await replayOf(ctx, idempotency);
    if (raced) return raced;
    await inTransaction(ctx, (tctx) => notifyIfKnown(tctx, contact.email, actor, channel, now));
  }
  ctx.mailQueued();
  return answer(decision.trusted);
}
