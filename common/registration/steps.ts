import * as yup from 'yup';
import { UNKNOWN_FIELD } from '../validation/locale.js';
import { isValidSiren } from '../identifiers/siren.js';
import { offDirectorySchema } from '../directory/off-directory.js';
import { normalizeFrenchPhone } from '../contact/phone.js';

// One source of truth for the wizard: each step's schema is used by
// vee-validate in the form and by the service on the request.

export const CIVILITIES = ['Mme', 'M.'] as const;
export type Civility = (typeof CIVILITIES)[number];

// Letters of any script, with the separators French names use.
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M}' ’.\-]*$/u;
// Anything printable: control characters and invisible formatting marks are refused.
const PRINTABLE = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;


function personName(label: string) {
  return yup
    .string()
    .trim()
    .required(`${label} est obligatoire.`)
    .max(80, `${label} ne doit pas dépasser 80 caractères.`)
    .matches(PERSON_NAME, `${label} ne peut contenir que des lettres, espaces, traits d'union et apostrophes.`);
}

export const identityStepSchema = yup
  .object({
    civility: yup
      .mixed<Civility>()
      .required('La civilité est obligatoire.')
      .oneOf([...CIVILITIES], 'La civilité doit être « Mme » ou « M. ».'),
    lastName: personName('Le nom'),
    firstName: personName('Le prénom'),
    jobTitle: yup
      .string()
      .trim()
      .required('La fonction est obligatoire.')
      .max(120, 'La fonction ne doit pas dépasser 120 caractères.')
      .matches(PRINTABLE, 'La fonction contient des caractères non autorisés.'),
    quartiersFertiles: yup
      .boolean()
      .typeError('La case « maître d\'ouvrage Quartiers Fertiles » doit être cochée ou non.')
      .default(false),
  })
  .exact(UNKNOWN_FIELD);

export const organisationStepSchema = yup
  .object({
    siren: yup
      .string()
      .trim()
      .required('Sélectionnez votre organisme de rattachement.')
      .matches(/^\d{9}$/, 'L\'organisme sélectionné doit être identifié par un SIREN de 9 chiffres.')
      .test('siren-checksum', 'Le SIREN de l\'organisme n\'est pas valide (clé de contrôle incorrecte).', (v) =>
        v ? isValidSiren(v) : false,
      ),
    // Only for a SIREN the directory lacks: the organisation as the person names it. The service checks it is absent.
    offDirectory: offDirectorySchema.default(undefined).optional(),
  })
  .exact(UNKNOWN_FIELD);

export const emailSchema = yup
  .string()
  .trim()
  .lowercase()
  .required('L\'adresse e-mail est obligatoire.')
  .max(254, 'L\'adresse e-mail ne doit pas dépasser 254 caractères.')
  .email('L\'adresse e-mail n\'est pas valide (exemple : prenom.nom@organisme.fr).')
  // A domain with at least one dot. Its labels exclude the dot, so that each
  // character can be read one way only: the pattern runs in linear time.
  .matches(/^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/, 'L\'adresse e-mail n\'est pas valide (exemple : prenom.nom@organisme.fr).');

export const contactStepSchema = yup
  .object({
    email: emailSchema,
    phone: yup
      .string()
      .trim()
      .required('Le numéro de téléphone est obligatoire.')
      .max(30, 'Le numéro de téléphone n\'est pas valide (exemple : 01 23 45 67 89).')
      .test('french-phone', 'Le numéro de téléphone n\'est pas valide (exemple : 01 23 45 67 89 ou +33 1 23 45 67 89).', (v) =>
        v ? normalizeFrenchPhone(v) !== null : false,
      ),
  })
  .exact(UNKNOWN_FIELD);

/** A signed challenge and its solution take about 700 characters. */
export const PROOF_OF_WORK_MAX_LENGTH = 2048;
const PROOF_OF_WORK_UNREADABLE = 'La vérification automatique n\'a pas abouti : relancez-la.';
const WITHOUT_PROOF_OF_WORK = (value: unknown) => value === undefined;

// The image's answer, or the proof of work offered to those who cannot read
// it (RGAA 1.5): exactly one of them.
export const confirmStepSchema = yup
  .object({
    captchaId: yup
      .string()
      .trim()
      .max(64)
      .when('proofOfWork', { is: WITHOUT_PROOF_OF_WORK, then: (s) => s.required('L\'image de sécurité a expiré : demandez-en une nouvelle.') }),
    captchaAnswer: yup
      .string()
      .max(20, 'Les caractères saisis ne correspondent pas à l\'image.')
      .when('proofOfWork', { is: WITHOUT_PROOF_OF_WORK, then: (s) => s.required('Recopiez les caractères de l\'image de sécurité (zone « Antispam »).') }),
    proofOfWork: yup
      .string()
      .max(PROOF_OF_WORK_MAX_LENGTH, PROOF_OF_WORK_UNREADABLE)
      .matches(/^[A-Za-z0-9+/]+={0,2}$/, PROOF_OF_WORK_UNREADABLE)
      .test(
        'image-or-proof-of-work',
        'Recopiez l\'image ou faites la vérification automatique, pas les deux.',
        function alone(value) {
          return value === undefined || (this.parent.captchaId === undefined && this.parent.captchaAnswer === undefined);
        },
      ),
    termsAccepted: yup
      .boolean()
      .required('Vous devez accepter les conditions générales d\'utilisation.')
      .oneOf([true], 'Vous devez accepter les conditions générales d\'utilisation.'),
  })
  .exact(UNKNOWN_FIELD);

export const registrationSchema = yup
  .object({
    identity: identityStepSchema.required('Les informations d\'identité sont obligatoires.'),
    organisation: organisationStepSchema.required('L\'organisme de rattachement est obligatoire.'),
    contact: contactStepSchema.required('Les coordonnées sont obligatoires.'),
    confirm: confirmStepSchema.required('La confirmation est obligatoire.').meta({
      // For the OpenAPI document, which would otherwise list the image's fields as always required.
      jsonSchema: { required: ['termsAccepted'], oneOf: [{ required: ['captchaId', 'captchaAnswer'] }, { required: ['proofOfWork'] }] },
    }),
  })
  .exact(UNKNOWN_FIELD);

export type IdentityStep = yup.InferType<typeof identityStepSchema>;
export type OrganisationStep = yup.InferType<typeof organisationStepSchema>;
export type ContactStep = yup.InferType<typeof contactStepSchema>;
export type ConfirmStep = yup.InferType<typeof confirmStepSchema>;
export type RegistrationRequest = yup.InferType<typeof registrationSchema>;
