import * as yup from 'yup';
import { UNKNOWN_FIELD } from '../validation/locale.js';
import nomenclature from './legal-categories.fr.json';
import { communeSchema, organisationNameSchema, PRINTABLE } from './off-directory.js';

// The approver's side of an organisation outside the directory: kept apart
// from off-directory.ts, which the applicant's wizard loads, so that the
// wizard does not carry the nomenclature's 260 labels.

/** The INSEE legal categories (level III) an approver chooses from, by code. */
export const LEGAL_CATEGORY_CHOICES: readonly { code: string; label: string }[] = Object.entries(nomenclature.categories as Record<string, string>)
  .map(([code, label]) => ({ code, label }))
  .sort((a, b) => a.code.localeCompare(b.code));

const LEGAL_CATEGORY_CODES = new Set(LEGAL_CATEGORY_CHOICES.map((c) => c.code));

/** What an approver gives to add an organisation outside the directory, from the request that names it. */
export const addOrganisationSchema = yup
  .object({
    name: organisationNameSchema,
    legalCategory: yup
      .string()
      .trim()
      .required('Choisissez la catégorie juridique de l\'organisme.')
      .max(4, 'Choisissez une catégorie juridique de la nomenclature de l\'INSEE.')
      .test('nomenclature', 'Choisissez une catégorie juridique de la nomenclature de l\'INSEE.', (v) => (v ? LEGAL_CATEGORY_CODES.has(v) : false)),
    commune: communeSchema,
    reason: yup
      .string()
      .trim()
      .required('Indiquez comment l\'organisme a été vérifié (par exemple : fiche de l\'annuaire des entreprises).')
      .min(5, 'Indiquez comment l\'organisme a été vérifié (5 caractères au moins).')
      .max(500, 'La raison ne doit pas dépasser 500 caractères.')
      .matches(PRINTABLE, 'La raison contient des caractères non autorisés.'),
  })
  .exact(UNKNOWN_FIELD);

export type AddOrganisationRequest = yup.InferType<typeof addOrganisationSchema>;
