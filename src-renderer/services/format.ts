import type { Organisation } from '../../common/api/contracts.js';
import { formatFrenchPhone, normalizeFrenchPhone } from '../../common/contact/phone.js';

/** "123456789" → "123 456 789", as SIRENs are printed on official documents. */
export function formatSiren(siren: string): string {
  return siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
}

const SHOWN_POSTCODES = 3;

/** One line telling organisations with the same name apart: kind, place, postcodes. */
export function organisationDetails(organisation: Organisation): string {
  const kind =
    organisation.legalCategoryLabel && organisation.legalCategoryLabel !== organisation.kind
      ? `${organisation.kind} (${organisation.legalCategoryLabel})`
      : organisation.kind;
  const { postcodes } = organisation;
  const codes = postcodes.slice(0, SHOWN_POSTCODES).join(', ') + (postcodes.length > SHOWN_POSTCODES ? '…' : '');
  const place = [organisation.town, codes].filter(Boolean).join(' – ');
  return [kind, place].filter(Boolean).join(' · ');
}

export function formatCount(count: number, singular: string, plural: string): string {
  return `${count.toLocaleString('fr-FR')} ${count > 1 ? plural : singular}`;
}

/** The phone number as the French read it ("01 23 45 67 89"), or as typed when it is not a French number. */
export function displayPhone(phone: string): string {
  const normalized = normalizeFrenchPhone(phone);
  return normalized ? formatFrenchPhone(normalized) : phone;
}
