import { randomUUID } from 'node:crypto';
import type { RegistrationResponse } from '../../common/api/contracts.js';
import { normalizeFrenchPhone } from '../../common/contact/phone.js';
import type { RegistrationRequest } from '../../common/registration/steps.js';
import { inviteAccount } from '../accounts/accounts.service.js';
import { recordEvent } from '../audit/audit.repository.js';
import { consumeChallenge } from '../captcha/captcha.service.js';
import type { AppContext } from '../context.js';
import type { Account, Channel } from '../db/schema.js';
import { findOrganisation } from '../directory/directory.repository.js';
import { invalidField } from '../http/errors.js';
import { enqueueMail } from '../mail/outbox.repository.js';
import { alreadyRegisteredEmail, pendingApprovalEmail } from '../mail/templates.js';
import { decideTrust } from '../trust/trust.service.js';

export const OUTCOME_MESSAGES: Record<RegistrationResponse['outcome'], string> = {
  invitation_sent:
    'Votre organisme fait partie du domaine de confiance ANRU : un e-mail vous a été adressé. Pour débuter la saisie de votre mot de passe, cliquez sur le lien « ici » qu\'il contient.',
  pending_approval:
    'Votre organisme ne fait pas partie du domaine de confiance ANRU : la suite du processus est soumise à l\'approbation de l\'ANRU. Vous recevrez un e-mail dès que votre demande aura été examinée.',
};

export interface Submission {
  request: RegistrationRequest;
  channel: Channel;
}

/**
 * Records a registration. The answer depends only on the organisation's
 * trust, never on whether the email is known: a known address gets the same
 * answer and, in its mailbox, an email saying a request was made.
 */
export async function submitRegistration(ctx: AppContext, { request, channel }: Submission): Promise<RegistrationResponse> {
  await consumeChallenge(ctx.db, ctx.clock, request.confirm.captchaId, request.confirm.captchaAnswer);
  const organisation = await findOrganisation(ctx.db, request.organisation.siren);
  if (!organisation) {
    throw invalidField('organisation.siren', "Cet organisme n'est pas dans l'annuaire : recherchez-le de nouveau et sélectionnez-le dans la liste.");
  }
  const phone = normalizeFrenchPhone(request.contact.phone);
  if (!phone) throw invalidField('contact.phone', "Le numéro de téléphone n'est pas valide (exemple : 01 23 45 67 89).");
  const decision = await decideTrust(ctx.db, organisation);
  const { identity, contact } = request;
  const email = contact.email;
  const now = ctx.clock.now().toISOString();

  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const existingAccount = await trx.selectFrom('accounts').select(['civility', 'last_name']).where('email', '=', email).executeTakeFirst();
    const existingRequest = existingAccount
      ? undefined
      : await trx.selectFrom('registrations').select(['civility', 'last_name']).where('email', '=', email).where('status', '=', 'pending').executeTakeFirst();
    const existing = existingAccount ?? existingRequest;
    if (existing) {
      const mail = alreadyRegisteredEmail(
        { civility: existing.civility, lastName: existing.last_name },
        `${ctx.config.publicUrl}/#/mot-de-passe/nouveau-lien`,
      );
      await enqueueMail(trx, email, mail, now);
      await recordEvent(trx, now, { actor: 'applicant', action: 'duplicate_request_notified', subjectType: 'email', subjectId: email, details: { channel } });
      return;
    }

    const registrationId = randomUUID();
    let account: Account | null = null;
    if (decision.trusted) {
      account = {
        id: randomUUID(),
        email,
        civility: identity.civility,
        last_name: identity.lastName,
        first_name: identity.firstName,
        job_title: identity.jobTitle,
        phone,
        siren: organisation.siren,
        role: 'partner',
        status: 'invited',
        password_hash: null,
        created_at: now,
        activated_at: null,
      };
      await trx.insertInto('accounts').values(account).execute();
    }
    await trx
      .insertInto('registrations')
      .values({
        id: registrationId,
        created_at: now,
        status: decision.trusted ? 'approved' : 'pending',
        channel,
        civility: identity.civility,
        last_name: identity.lastName,
        first_name: identity.firstName,
        job_title: identity.jobTitle,
        quartiers_fertiles: identity.quartiersFertiles ? 1 : 0,
        siren: organisation.siren,
        organisation_name: organisation.name,
        email,
        phone,
        trusted: decision.trusted ? 1 : 0,
        trust_rule_id: decision.ruleId,
        trust_reason: decision.reason,
        decided_at: decision.trusted ? now : null,
        account_id: account?.id ?? null,
        entered_by: null,
      })
      .execute();
    await recordEvent(trx, now, {
      actor: 'applicant',
      action: 'submitted',
      subjectType: 'registration',
      subjectId: registrationId,
      details: { channel, siren: organisation.siren, trusted: decision.trusted, trustRuleId: decision.ruleId, reason: decision.reason },
    });
    if (account) {
      await recordEvent(trx, now, {
        actor: 'system',
        action: 'approved',
        subjectType: 'registration',
        subjectId: registrationId,
        details: { before: 'submitted', after: 'approved', reason: decision.reason },
      });
      await inviteAccount(tctx, account, 'system');
    } else {
      await enqueueMail(trx, email, pendingApprovalEmail({ civility: identity.civility, lastName: identity.lastName }, organisation.name), now);
    }
  });
  ctx.mailQueued();
  const outcome = decision.trusted ? 'invitation_sent' : 'pending_approval';
  return { outcome, message: OUTCOME_MESSAGES[outcome] };
}
