import * as yup from 'yup';
import '../validation/locale.js';
import { emailSchema } from '../registration/steps.js';
import { passwordSchema } from '../password/policy.js';

const unknownField = 'Champ inattendu : ${properties}.';

export const setPasswordSchema = yup
  .object({
    token: yup.string().trim().required('Le lien utilisé est incomplet.').max(200, 'Le lien utilisé est incomplet.'),
    password: passwordSchema,
    confirmation: yup
      .string()
      .required('La confirmation du mot de passe est obligatoire.')
      .oneOf([yup.ref('password')], 'Les deux mots de passe saisis ne sont pas identiques. Recommencez la saisie.'),
  })
  .exact(unknownField);

export type SetPasswordRequest = yup.InferType<typeof setPasswordSchema>;

export const requestNewLinkSchema = yup
  .object({ email: emailSchema })
  .exact(unknownField);

export const signInSchema = yup
  .object({
    email: emailSchema,
    password: yup.string().required('Le mot de passe est obligatoire.').max(128, 'Identifiant ou mot de passe incorrect.'),
  })
  .exact(unknownField);
