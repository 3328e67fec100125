import type { Organisation } from '../../common/api/contracts.js';
import { formatFrenchPhone, normalizeFrenchPhone } from '../../common/contact/phone.js';

/** "123456789" → "123 456 789", as SIRENs are printed on official documents. */
export function formatSiren(siren: string): string {
  return siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
}

const SHOWN_POSTCODES = 3;

/** The kind of an organisation and its legal category, each said once ("Association déclarée", not "Association (Association déclarée)"). */
function kindWithCategory(kind: string, category: string): string {
  if (!category || category === kind) return kind;
  if (category.toLowerCase().startsWith(kind.toLowerCase())) return category;
  // "(Autre) Collectivité territoriale" is not put in brackets again.
  return category.startsWith('(') ? `${kind}, ${category}` : `${kind} (${category})`;
}

/** One line telling organisations with the same name apart: kind, place, postcodes. */
export function organisationDetails(organisation: Organisation): string {
  const kind = kindWithCategory(organisation.kind, organisation.legalCategoryLabel);
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

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A waiting time as staff read it at a glance: "5 min", "2 h", "3 j". */
export function formatDuration(seconds: number): string {
  if (seconds < MINUTE) return "moins d'une minute";
  if (seconds < HOUR) return `${Math.floor(seconds / MINUTE)} min`;
  if (seconds < DAY) return `${Math.floor(seconds / HOUR)} h`;
  return `${Math.floor(seconds / DAY)} j`;
}

/** "il y a 3 j", "il y a 2 h". */
export function formatAge(seconds: number): string {
  return `il y a ${formatDuration(seconds)}`;
}

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
const DATE = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'Europe/Paris' });

/** "12/03/2026 14:05" in metropolitan French time, whatever the machine's zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE.format(date);
}
