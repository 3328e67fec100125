import * as yup from 'yup';
import { UNKNOWN_PARAMETER } from '../validation/locale.js';

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
  })
  .exact(UNKNOWN_PARAMETER);
