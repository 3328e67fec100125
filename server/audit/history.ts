import type { Kysely } from 'kysely';
import type { HistoryEntry } from '../../common/api/staff.js';
import { accountNames } from '../accounts/accounts.repository.js';
import type { Database } from '../db/schema.js';

const ACTION_LABELS: Record<string, string> = {
  submitted: 'Demande déposée',
  claimed: 'Prise en charge pour examen',
  released: "Fin d'examen sans décision",
  approved: 'Demande approuvée',
  rejected: 'Demande rejetée',
  cancelled: 'Demande annulée',
  invited: 'Invitation à définir le mot de passe envoyée',
  password_set: 'Mot de passe défini : compte actif',
  account_locked: 'Compte verrouillé après des échecs de connexion',
  duplicate_request_notified: "Nouvelle demande signalée au titulaire de l'adresse",
  duplicate_request_not_notified: "Nouvelle demande pour l'adresse, non signalée à son titulaire : quota d'e-mails de l'adresse atteint",
  trust_rule_added: 'Règle ajoutée au domaine de confiance',
  trust_rule_removed: 'Règle retirée du domaine de confiance',
  staff_created: 'Compte du personnel créé',
  staff_disabled: 'Compte du personnel désactivé',
  staff_enabled: 'Compte du personnel réactivé',
  staff_role_changed: 'Rôle du compte modifié',
  staff_sessions_ended: 'Sessions du compte fermées',
  rejection_reason_saved: 'Motif de rejet enregistré',
  kiosk_enrolled: 'Borne enregistrée',
  kiosk_revoked: 'Borne révoquée',
  organisation_added: "Organisme ajouté à l'annuaire",
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** Display names of actors: staff members by name, the applicant and the system by role. */
export async function actorNames(db: Kysely<Database>, actors: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>([
    ['applicant', 'Demandeur'],
    ['system', 'Système'],
  ]);
  for (const [id, name] of await accountNames(db, actors.filter((a) => !names.has(a)))) names.set(id, name);
  return names;
}

/** The audit trail of a set of subjects (a request and its account), oldest first. */
export async function historyOf(db: Kysely<Database>, subjects: { type: string; id: string }[]): Promise<HistoryEntry[]> {
  if (subjects.length === 0) return [];
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where((eb) => eb.or(subjects.map((s) => eb.and([eb('subject_type', '=', s.type), eb('subject_id', '=', s.id)]))))
    .orderBy('at')
    .orderBy('id')
    .execute();
  const names = await actorNames(db, rows.map((r) => r.actor));
  return rows.map((r) => ({
    at: r.at,
    actor: r.actor,
    actorName: names.get(r.actor) ?? 'Compte supprimé',
    action: r.action,
    label: actionLabel(r.action),
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
