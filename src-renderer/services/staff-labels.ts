// French wording of the staff API's codes.
import type { Channel } from '../../common/api/staff.js';
import type { QueueStatus } from '../../common/staff/schemas.js';

export const CHANNEL_LABELS: Record<Channel, string> = { kiosk: 'Borne', web: 'Web', phone: 'Téléphone' };

/** One request's status. */
export const REQUEST_STATUS_LABELS: Record<QueueStatus, string> = {
  pending: 'En attente',
  approved: 'Approuvée',
  rejected: 'Rejetée',
  cancelled: 'Annulée',
};

/** The queue's status filter, which names a set of requests. */
export const QUEUE_FILTER_LABELS: Record<QueueStatus, string> = {
  pending: 'En attente',
  approved: 'Approuvées',
  rejected: 'Rejetées',
  cancelled: 'Annulées',
};

export const ACCOUNT_STATUS_LABELS: Record<string, string> = {
  invited: 'Invitation envoyée, mot de passe non défini',
  active: 'Actif',
  locked: 'Verrouillé',
  disabled: 'Désactivé : accès retiré',
};

export const TRUST_RULE_KIND_LABELS = { siren: 'SIREN', legal_category: 'Catégorie juridique' } as const;

export const CIVILITY_LABELS: Record<string, string> = { Mme: 'Madame', 'M.': 'Monsieur' };

/** Codes the service may add later are shown as they come rather than hidden. */
export function labelOf(labels: Record<string, string>, code: string | null | undefined): string {
  return code ? (labels[code] ?? code) : '';
}

export function requestStatusLabel(status: string): string {
  return labelOf(REQUEST_STATUS_LABELS, status);
}

export function accountStatusLabel(status: string | null | undefined): string {
  return labelOf(ACCOUNT_STATUS_LABELS, status);
}
