import * as yup from 'yup';
import { UNKNOWN_PARAMETER } from '../validation/locale.js';

/** A département's code as INSEE writes it: 01 to 95 (2A and 2B for Corsica), 971 to 978 overseas. */
export const DEPARTEMENT_CODE = /^(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-8])$/;

const DEPARTEMENT_MESSAGE = 'Choisissez un département de la liste (un code comme 42, 2A ou 974).';

export const directorySearchSchema = yup
  .object({
    q: yup
      .string()
      .trim()
      .required('Saisissez un nom, une commune, un code postal, un SIREN ou un SIRET.')
      .min(2, 'Saisissez au moins 2 caractères pour lancer la recherche.')
      .max(100, 'La recherche ne doit pas dépasser 100 caractères.'),
    page: yup
      .number()
      .typeError('Le numéro de page doit être un nombre entier.')
      .integer('Le numéro de page doit être un nombre entier.')
      .min(1, 'Le numéro de page doit être au moins 1.')
      .max(100, 'Le numéro de page ne doit pas dépasser 100 : précisez votre recherche.')
      .default(1),
    departement: yup
      .string()
      .trim()
      .uppercase()
      .max(3, DEPARTEMENT_MESSAGE)
      .matches(DEPARTEMENT_CODE, { message: DEPARTEMENT_MESSAGE, excludeEmptyString: true }),
    publicOnly: yup
      .boolean()
      .typeError('Le filtre « collectivités et établissements publics » vaut true ou false.')
      .default(false),
  })
  .exact(UNKNOWN_PARAMETER);
