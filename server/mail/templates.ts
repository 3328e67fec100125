// The emails Guichet sends, in French, as plain text and HTML. Every value
// that comes from a person is escaped in the HTML part.

export interface MailContent {
  kind: string;
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, paragraphs: string[]): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: Marianne, Arial, sans-serif; color: #161616; line-height: 1.5; max-width: 40em">
<p style="font-weight: bold; color: #000091">Partenaires ANRU – ANRUSCOPE</p>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
<p style="color: #666; font-size: 0.9em">Ce message vous est adressé automatiquement : merci de ne pas y répondre.</p>
</body></html>`;
}

const SIGNATURE_TEXT = "L'équipe ANRUSCOPE\n\nCe message vous est adressé automatiquement : merci de ne pas y répondre.";

export interface Recipient {
  civility: string;
  firstName: string;
  lastName: string;
}

export function recipientOf(person: { civility: string; first_name: string; last_name: string }): Recipient {
  return { civility: person.civility, firstName: person.first_name, lastName: person.last_name };
}

function greeting(r: Recipient): string {
  if (r.civility === 'Mme') return `Bonjour Madame ${r.lastName},`;
  if (r.civility === 'M.') return `Bonjour Monsieur ${r.lastName},`;
  return `Bonjour ${r.firstName} ${r.lastName},`;
}

export function setPasswordEmail(r: Recipient, link: string, ttlHours: number): MailContent {
  const subject = 'ANRUSCOPE – Déterminez votre mot de passe';
  const intro =
    'Votre compte utilisateur sur le portail « Partenaires ANRU » (ANRUSCOPE) est prêt. Il ne vous reste plus qu\'à déterminer votre mot de passe confidentiel.';
  const validity = `Ce lien est valable ${ttlHours} heures et ne peut servir qu'une seule fois.`;
  return {
    kind: 'set_password',
    subject,
    text: `${greeting(r)}\n\n${intro}\n\nPour débuter la saisie du mot de passe, ouvrez ce lien :\n${link}\n\n${validity}\n\n${SIGNATURE_TEXT}`,
    html: layout(subject, [
      escapeHtml(greeting(r)),
      escapeHtml(intro),
      `Pour débuter la saisie du mot de passe, <a href="${escapeHtml(link)}">cliquez ici</a>.`,
      escapeHtml(validity),
      "L'équipe ANRUSCOPE",
    ]),
  };
}

/** "1 heure", "2 heures", "30 minutes", "90 minutes". */
function duration(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? '1 heure' : `${minutes / 60} heures`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * A new link for an account that has a password already (forgotten, or asked
 * for by the desk). Same subject and kind as the first invitation: both open
 * the set-password page; this one lives shorter and says so.
 */
export function resetPasswordEmail(r: Recipient, link: string, ttlMinutes: number): MailContent {
  const subject = 'ANRUSCOPE – Déterminez votre mot de passe';
  const intro =
    'Un nouveau lien a été demandé pour choisir le mot de passe de votre compte sur le portail « Partenaires ANRU » (ANRUSCOPE).';
  const validity = `Ce lien est valable ${duration(ttlMinutes)} et ne peut servir qu'une seule fois. Une fois le nouveau mot de passe enregistré, vos sessions ouvertes se ferment.`;
  const ignore = "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe actuel reste valable.";
  return {
    kind: 'set_password',
    subject,
    text: `${greeting(r)}\n\n${intro}\n\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n${link}\n\n${validity}\n\n${ignore}\n\n${SIGNATURE_TEXT}`,
    html: layout(subject, [
      escapeHtml(greeting(r)),
      escapeHtml(intro),
      `Pour choisir un nouveau mot de passe, <a href="${escapeHtml(link)}">cliquez ici</a>.`,
      escapeHtml(validity),
      escapeHtml(ignore),
      "L'équipe ANRUSCOPE",
    ]),
  };
}

export function pendingApprovalEmail(r: Recipient, organisationName: string): MailContent {
  const subject = 'ANRUSCOPE – Votre demande de compte est en cours de validation';
  const body = `Votre demande de création de compte pour l'organisme « ${organisationName} » a bien été enregistrée. La suite du processus est soumise à l'approbation de l'ANRU. Vous recevrez un e-mail dès que votre demande aura été examinée.`;
  return {
    kind: 'pending_approval',
    subject,
    text: `${greeting(r)}\n\n${body}\n\n${SIGNATURE_TEXT}`,
    html: layout(subject, [escapeHtml(greeting(r)), escapeHtml(body), "L'équipe ANRUSCOPE"]),
  };
}

export function alreadyRegisteredEmail(r: Recipient, newLinkUrl: string): MailContent {
  const subject = 'ANRUSCOPE – Une demande de compte a été faite avec votre adresse';
  const body =
    "Une nouvelle demande de création de compte vient d'être faite avec votre adresse e-mail. Or cette adresse a déjà un compte ou une demande en cours sur le portail « Partenaires ANRU » : aucune nouvelle demande n'a été enregistrée.";
  const action = 'Si vous avez perdu votre mot de passe ou le lien reçu, demandez un nouveau lien :';
  const ignore = "Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer ce message.";
  return {
    kind: 'already_registered',
    subject,
    text: `${greeting(r)}\n\n${body}\n\n${action}\n${newLinkUrl}\n\n${ignore}\n\n${SIGNATURE_TEXT}`,
    html: layout(subject, [
      escapeHtml(greeting(r)),
      escapeHtml(body),
      `${escapeHtml(action)} <a href="${escapeHtml(newLinkUrl)}">demander un nouveau lien</a>.`,
      escapeHtml(ignore),
      "L'équipe ANRUSCOPE",
    ]),
  };
}

export function rejectedEmail(r: Recipient, organisationName: string, reason: string, comment: string): MailContent {
  const subject = 'ANRUSCOPE – Votre demande de compte n\'a pas été acceptée';
  const body = `Votre demande de création de compte pour l'organisme « ${organisationName} » a été examinée par l'ANRU et n'a pas été acceptée.`;
  const why = `Motif : ${reason}`;
  const note = comment ? `Précision de l'ANRU : ${comment}` : '';
  const again = 'Si votre situation évolue, vous pouvez déposer une nouvelle demande.';
  return {
    kind: 'rejected',
    subject,
    text: [greeting(r), body, why, note, again, SIGNATURE_TEXT].filter(Boolean).join('\n\n'),
    html: layout(subject, [escapeHtml(greeting(r)), escapeHtml(body), `<strong>${escapeHtml(why)}</strong>`, note ? escapeHtml(note) : '', escapeHtml(again), "L'équipe ANRUSCOPE"].filter(Boolean)),
  };
}

export function cancelledEmail(r: Recipient, organisationName: string): MailContent {
  const subject = 'ANRUSCOPE – Votre demande de compte a été annulée';
  const body = `Votre demande de création de compte pour l'organisme « ${organisationName} » a été annulée par l'assistance ANRUSCOPE, à votre demande ou parce qu'elle faisait double emploi. Vous pouvez en déposer une nouvelle à tout moment.`;
  return {
    kind: 'cancelled',
    subject,
    text: `${greeting(r)}\n\n${body}\n\n${SIGNATURE_TEXT}`,
    html: layout(subject, [escapeHtml(greeting(r)), escapeHtml(body), "L'équipe ANRUSCOPE"]),
  };
}

export function accountLockedEmail(r: Recipient, minutes: number, newLinkUrl: string): MailContent {
  const subject = 'ANRUSCOPE – Votre compte est temporairement verrouillé';
  const body = `Plusieurs tentatives de connexion à votre compte ont échoué. Par sécurité, votre compte est verrouillé pendant ${minutes} minutes.`;
  const action = "Si ce n'était pas vous, ou si vous avez oublié votre mot de passe, choisissez-en un nouveau :";
  return {
    kind: 'account_locked',
    subject,
    text: `${greeting(r)}\n\n${body}\n\n${action}\n${newLinkUrl}\n\n${SIGNATURE_TEXT}`,
    html: layout(subject, [
      escapeHtml(greeting(r)),
      escapeHtml(body),
      `${escapeHtml(action)} <a href="${escapeHtml(newLinkUrl)}">recevoir un nouveau lien</a>.`,
      "L'équipe ANRUSCOPE",
    ]),
  };
}
