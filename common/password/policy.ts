import * as yup from 'yup';
import '../validation/locale.js';

// The seed's rule (9 characters, a digit, an uppercase and a lowercase letter).
// The upper bound leaves room for long passphrases while keeping argon2 input sane.
export const PASSWORD_MIN_LENGTH = 9;
export const PASSWORD_MAX_LENGTH = 128;

export interface PasswordRule {
  id: 'length' | 'digit' | 'upper' | 'lower';
  label: string;
  test: (password: string) => boolean;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    id: 'length',
    label: `Au moins ${PASSWORD_MIN_LENGTH} caractères`,
    test: (p) => [...p].length >= PASSWORD_MIN_LENGTH,
  },
  { id: 'digit', label: 'Au moins un chiffre', test: (p) => /\d/.test(p) },
  { id: 'upper', label: 'Au moins une lettre majuscule', test: (p) => /\p{Lu}/u.test(p) },
  { id: 'lower', label: 'Au moins une lettre minuscule', test: (p) => /\p{Ll}/u.test(p) },
];

export function failedPasswordRules(password: string): PasswordRule[] {
  return PASSWORD_RULES.filter((rule) => !rule.test(password));
}

export const passwordSchema = yup
  .string()
  .required('Le mot de passe est obligatoire.')
  .max(PASSWORD_MAX_LENGTH, `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`)
  .test('policy', (value, ctx) => {
    const failed = failedPasswordRules(value ?? '');
    if (failed.length === 0) return true;
    return ctx.createError({
      message: `Le mot de passe ne respecte pas les règles : ${failed.map((r) => r.label.toLowerCase()).join(', ')}.`,
    });
  });
