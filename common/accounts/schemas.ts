import * as yup from 'yup';
import { UNKNOWN_FIELD } from '../validation/locale.js';
import { emailSchema } from '../registration/steps.js';
import { passwordSchema } from '../password/policy.js';


export const setPasswordSchema = yup
  .object({
    token: yup.string().trim().required('Le lien utilisé est incomplet.').max(200, 'Le lien utilisé est incomplet.'),
    password: passwordSchema,
    confirmation: yup
      .string()
      .required('La confirmation du mot de passe est obligatoire.')
      .oneOf([yup.ref('password')], 'Les deux mots de passe saisis ne sont pas identiques. Recommencez la saisie.'),
  })
  .exact(UNKNOWN_FIELD);

export type SetPasswordRequest = yup.InferType<typeof setPasswordSchema>;

export const requestNewLinkSchema = yup
  .object({ email: emailSchema })
  .exact(UNKNOWN_FIELD);

export const signInSchema = yup
  .object({
    email: emailSchema,
    password: yup.string().required('Le mot de passe est obligatoire.').max(128, 'Identifiant ou mot de passe incorrect.'),
  })
  .exact(UNKNOWN_FIELD);
