import * as yup from 'yup';
import { UNKNOWN_FIELD } from '../validation/locale.js';

// A SIREN or SIRET with a valid key that the directory lacks is no dead end:
// the person names the organisation and its commune, and the request waits
// for an approver, who may add the organisation to the directory.

export const NOT_IN_DIRECTORY_MESSAGE = "Ce SIREN est valide mais l'organisme n'est pas encore dans notre annuaire.";

// Anything printable: control characters and invisible formatting marks are refused.
export const PRINTABLE = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;
/** A commune's name (letters, spaces, hyphens, apostrophes, parentheses), a postcode, or both. */
const COMMUNE = /^(?:\d{5}|\d{5} [\p{L}][\p{L}\p{M}' ’()\-]*|[\p{L}][\p{L}\p{M}' ’\-]*(?: \d{5}| \((?:\d{2,3}|2[AB])\))?)$/u;

export const COMMUNE_FORMAT_MESSAGE = 'Indiquez le nom de la commune (exemple : Saint-Étienne) ou son code postal (5 chiffres).';
export const COMMUNE_UNKNOWN_MESSAGE =
  'Cette commune est introuvable : vérifiez son nom (exemple : Saint-Étienne) ou indiquez son code postal (5 chiffres).';

export const organisationNameSchema = yup
  .string()
  .trim()
  .required("Le nom de l'organisme est obligatoire.")
  .min(2, "Le nom de l'organisme doit compter au moins 2 caractères.")
  .max(120, "Le nom de l'organisme ne doit pas dépasser 120 caractères.")
  .matches(PRINTABLE, "Le nom de l'organisme contient des caractères non autorisés.")
  .matches(/\p{L}/u, "Le nom de l'organisme doit contenir des lettres.");

export const communeSchema = yup
  .string()
  .trim()
  .required("La commune de l'organisme est obligatoire.")
  .max(80, 'La commune ne doit pas dépasser 80 caractères.')
  .transform((value: unknown) => (typeof value === 'string' ? value.replace(/\s+/g, ' ') : value))
  .matches(COMMUNE, COMMUNE_FORMAT_MESSAGE);

/** What the applicant says of an organisation the directory lacks. */
export const offDirectorySchema = yup
  .object({
    name: organisationNameSchema,
    commune: communeSchema,
  })
  .exact(UNKNOWN_FIELD);

export type OffDirectoryOrganisation = yup.InferType<typeof offDirectorySchema>;

/** "le 1er janvier 2015" from 2015-01-01. */
function frenchDay(isoDay: string): string {
  const [year, month, day] = isoDay.split('-').map(Number) as [number, number, number];
  const formatted = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
  return day === 1 ? formatted.replace(/^1 /, '1er ') : formatted;
}

/** The step's words for a closed unit typed by its SIREN or SIRET. */
export function closedUnitMessage(closed: { name: string | null; closedOn: string | null }): string {
  const who = closed.name ? `L'organisme « ${closed.name} »` : 'Cet organisme';
  const since = closed.closedOn ? ` depuis le ${frenchDay(closed.closedOn)}` : '';
  return `${who} est fermé${since} selon le répertoire Sirene de l'INSEE. Indiquez le SIREN de votre organisme de rattachement actuel.`;
}
