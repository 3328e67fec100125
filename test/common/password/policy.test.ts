import { describe, expect, it } from 'vitest';
import { setPasswordSchema } from '../../../common/accounts/schemas.js';
import { failedPasswordRules, passwordSchema } from '../../../common/password/policy.js';

describe('password policy (seed: 9 characters, a digit, an uppercase and a lowercase letter)', () => {
  it('names each rule a password misses', () => {
    expect(failedPasswordRules('abc').map((r) => r.id)).toEqual(['length', 'digit', 'upper']);
    expect(failedPasswordRules('ABCDEFGH1').map((r) => r.id)).toEqual(['lower']);
    expect(failedPasswordRules('Abcdefgh1')).toEqual([]);
  });

  it('counts accented capitals and lowercase letters', () => {
    expect(failedPasswordRules('Élégance9x')).toEqual([]);
  });

  it('accepts a long passphrase of 64 characters and more', () => {
    const phrase = 'Le Tramway de Saint-Etienne passe 7 fois par heure sur la place!!';
    expect(phrase.length).toBeGreaterThanOrEqual(64);
    expect(passwordSchema.isValidSync(phrase)).toBe(true);
  });

  it('refuses a confirmation that differs, with the seed\'s advice to start again', () => {
    expect(() => setPasswordSchema.validateSync({ token: 't', password: 'Abcdefgh1', confirmation: 'Abcdefgh2' })).toThrow(
      /ne sont pas identiques/,
    );
  });
});
