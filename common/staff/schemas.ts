import * as yup from 'yup';
import { UNKNOWN_FIELD, UNKNOWN_PARAMETER } from '../validation/locale.js';
import { isValidSiren } from '../identifiers/siren.js';
import { contactStepSchema, emailSchema, identityStepSchema, organisationStepSchema } from '../registration/steps.js';
import { STAFF_ROLES, type StaffRole } from './roles.js';


/** The wizard as an agent runs it for a caller: no captcha, the agent confirms the caller accepted the terms. */
export const phoneRegistrationSchema = yup
  .object({
    identity: identityStepSchema.required(),
    organisation: organisationStepSchema.required(),
    contact: contactStepSchema.required(),
    confirm: yup
      .object({
        termsAccepted: yup
          .boolean()
          .required("Confirmez que la personne accepte les conditions générales d'utilisation.")
          .oneOf([true], "Confirmez que la personne accepte les conditions générales d'utilisation."),
      })
      .exact(UNKNOWN_FIELD)
      .required(),
  })
  .exact(UNKNOWN_FIELD);
export type PhoneRegistrationRequest = yup.InferType<typeof phoneRegistrationSchema>;

export const QUEUE_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export const queueQuerySchema = yup
  .object({
    status: yup.mixed<QueueStatus>().oneOf([...QUEUE_STATUSES], 'Statut inconnu.').default('pending'),
    departement: yup
      .string()
      .trim()
      .matches(/^(\d{2,3}|2[AB])?$/i, 'Le département doit être un code comme 42, 2A ou 974.')
      .default(''),
    q: yup.string().trim().max(100, 'La recherche ne doit pas dépasser 100 caractères.').default(''),
    page: yup.number().typeError('Le numéro de page doit être un nombre entier.').integer().min(1).max(10_000).default(1),
  })
  .exact(UNKNOWN_PARAMETER);
export type QueueQuery = yup.InferType<typeof queueQuerySchema>;

export const rejectSchema = yup
  .object({
    reasonId: yup.string().trim().required('Choisissez un motif de rejet.').max(64),
    comment: yup
      .string()
      .trim()
      .max(1000, 'Le commentaire ne doit pas dépasser 1000 caractères.')
      .default(''),
  })
  .exact(UNKNOWN_FIELD);

export const trustRuleSchema = yup
  .object({
    kind: yup
      .mixed<'siren' | 'legal_category'>()
      .required('Choisissez le type de règle.')
      .oneOf(['siren', 'legal_category'], 'Le type de règle doit être « SIREN » ou « catégorie juridique ».'),
    value: yup
      .string()
      .trim()
      .required('La valeur de la règle est obligatoire.')
      .when('kind', {
        is: 'siren',
        then: (s) =>
          s
            .transform((v: unknown) => (typeof v === 'string' ? v.replace(/\s/g, '') : v))
            .test('siren', "Le SIREN n'est pas valide (9 chiffres et clé de contrôle).", (v) => (v ? isValidSiren(v) : false)),
        otherwise: (s) => s.matches(/^\d{4}$/, 'La catégorie juridique INSEE compte 4 chiffres (exemple : 7210).'),
      }),
    reason: yup.string().trim().required('Indiquez la raison de cette règle.').min(5, 'Indiquez la raison de cette règle (5 caractères au moins).').max(500),
  })
  .exact(UNKNOWN_FIELD);

const DOMAIN_MESSAGE = 'Le domaine doit être un nom comme « saint-etienne.fr », sans « @ » ni adresse.';

/** A DNS name of two labels or more; checked label by label, with no pattern that could backtrack. */
export function isEmailDomainName(value: string): boolean {
  const labels = value.split('.');
  return (
    value.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => l.length >= 1 && l.length <= 63 && /^[a-z0-9-]+$/.test(l) && !l.startsWith('-') && !l.endsWith('-')) &&
    /^[a-z]/.test(labels[labels.length - 1] ?? '')
  );
}

export const emailDomainSchema = yup
  .string()
  .trim()
  .lowercase()
  .required('Le domaine est obligatoire.')
  .max(253, DOMAIN_MESSAGE)
  // People paste "@saint-etienne.fr" or a whole address: keep the part after the last "@".
  .transform((v: unknown) => (typeof v === 'string' ? v.slice(v.lastIndexOf('@') + 1) : v))
  .test('domain', DOMAIN_MESSAGE, (v) => (v ? isEmailDomainName(v) : false));

export const verifiedDomainSchema = yup
  .object({
    domain: emailDomainSchema,
    reason: yup.string().trim().required('Indiquez comment ce domaine a été vérifié.').min(5, 'Indiquez comment ce domaine a été vérifié (5 caractères au moins).').max(500),
  })
  .exact(UNKNOWN_FIELD);

export const removeVerifiedDomainSchema = yup
  .object({
    domain: emailDomainSchema,
    reason: yup.string().trim().required('Indiquez la raison du retrait.').min(5, 'Indiquez la raison du retrait (5 caractères au moins).').max(500),
  })
  .exact(UNKNOWN_FIELD);

export const approveSchema = yup
  .object({
    /** Verify the request's email domain for its organisation in the same action. */
    verifyDomain: yup.boolean().typeError('« verifyDomain » doit valoir true ou false.').default(false),
  })
  .exact(UNKNOWN_FIELD);

export const removeTrustRuleSchema = yup
  .object({ reason: yup.string().trim().required('Indiquez la raison du retrait.').min(5, 'Indiquez la raison du retrait (5 caractères au moins).').max(500) })
  .exact(UNKNOWN_FIELD);

export const staffAccountSchema = yup
  .object({
    email: emailSchema,
    firstName: identityStepSchema.fields.firstName as yup.StringSchema<string>,
    lastName: identityStepSchema.fields.lastName as yup.StringSchema<string>,
    role: yup
      .mixed<StaffRole>()
      .required('Choisissez un rôle.')
      .oneOf([...STAFF_ROLES], 'Le rôle doit être agent, valideur ou administrateur.'),
  })
  .exact(UNKNOWN_FIELD);

const accessChangeReason = yup
  .string()
  .trim()
  .required('Indiquez la raison de ce changement.')
  .min(5, 'Indiquez la raison de ce changement (5 caractères au moins).')
  .max(500, 'La raison ne doit pas dépasser 500 caractères.');

/** Disabling, re-enabling a staff account or ending its sessions: the reason goes into the audit trail. */
export const staffAccessChangeSchema = yup.object({ reason: accessChangeReason }).exact(UNKNOWN_FIELD);

export const staffRoleChangeSchema = yup
  .object({
    role: staffAccountSchema.fields.role as yup.MixedSchema<StaffRole>,
    reason: accessChangeReason,
  })
  .exact(UNKNOWN_FIELD);

export const rejectionReasonSchema = yup
  .object({
    label: yup.string().trim().required('Le libellé du motif est obligatoire.').max(200, 'Le libellé ne doit pas dépasser 200 caractères.'),
    active: yup.boolean().default(true),
  })
  .exact(UNKNOWN_FIELD);

export const staffSearchSchema = yup
  .object({ q: yup.string().trim().required('Saisissez un nom, une adresse e-mail ou un SIREN.').min(2, 'Saisissez au moins 2 caractères.').max(100) })
  .exact(UNKNOWN_PARAMETER);

export const kioskEnrolmentSchema = yup
  .object({
    name: yup
      .string()
      .trim()
      .required('Donnez un nom à la borne (par exemple son emplacement).')
      .min(2, 'Le nom de la borne doit compter au moins 2 caractères.')
      .max(100, 'Le nom de la borne ne doit pas dépasser 100 caractères.'),
  })
  .exact(UNKNOWN_FIELD);
