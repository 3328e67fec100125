import { describe, expect, it } from 'vitest';
import { ValidationError } from 'yup';
import { confirmStepSchema, contactStepSchema, identityStepSchema, organisationStepSchema } from '../../../common/registration/steps.js';

function errorsOf(run: () => unknown): Record<string, string> {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return Object.fromEntries((error.inner.length > 0 ? error.inner : [error]).map((e) => [e.path ?? '', e.message]));
  }
  return {};
}

describe('wizard step schemas', () => {
  it('step 1 names every missing field in French', () => {
    const errors = errorsOf(() => identityStepSchema.validateSync({}, { abortEarly: false }));
    expect(errors).toMatchObject({
      civility: 'La civilité est obligatoire.',
      lastName: 'Le nom est obligatoire.',
      firstName: 'Le prénom est obligatoire.',
      jobTitle: 'La fonction est obligatoire.',
    });
  });

  it('step 1 accepts French names with accents, hyphens and apostrophes, and refuses markup', () => {
    const ok = identityStepSchema.validateSync({ civility: 'M.', lastName: "D'Alembert-Lefèvre", firstName: 'Jean-Éric', jobTitle: 'Directeur (NPNRU)' });
    expect(ok.lastName).toBe("D'Alembert-Lefèvre");
    expect(errorsOf(() => identityStepSchema.validateSync({ civility: 'M.', lastName: '<script>', firstName: 'A', jobTitle: 'x' }))).toHaveProperty(
      'lastName',
    );
  });

  it('step 2 refuses a SIREN with a wrong check digit', () => {
    expect(errorsOf(() => organisationStepSchema.validateSync({ siren: '214202187' }, { abortEarly: false }))).toEqual({
      siren: "Le SIREN de l'organisme n'est pas valide (clé de contrôle incorrecte).",
    });
  });

  it('step 3 lowercases the email and refuses a foreign phone number', () => {
    expect(contactStepSchema.validateSync({ email: ' Claire.Martin@Saint-Etienne.FR ', phone: '0477487748' }).email).toBe(
      'claire.martin@saint-etienne.fr',
    );
    expect(errorsOf(() => contactStepSchema.validateSync({ email: 'claire@', phone: '+44 20 7946 0958' }, { abortEarly: false }))).toEqual({
      email: "L'adresse e-mail n'est pas valide (exemple : prenom.nom@organisme.fr).",
      phone: "Le numéro de téléphone n'est pas valide (exemple : 01 23 45 67 89 ou +33 1 23 45 67 89).",
    });
  });

  it('step 4 requires the terms to be accepted', () => {
    expect(errorsOf(() => confirmStepSchema.validateSync({ captchaId: 'x', captchaAnswer: 'abc', termsAccepted: false }))).toEqual({
      termsAccepted: "Vous devez accepter les conditions générales d'utilisation.",
    });
  });

  it('refuses unexpected fields', () => {
    expect(errorsOf(() => organisationStepSchema.validateSync({ siren: '214202186', admin: true }, { abortEarly: false }))).toHaveProperty('');
  });
});

describe('a field the wizard does not know', () => {
  it('is refused with its name quoted, so that a key such as "value" reads as a name, not as English', () => {
    expect(() => organisationStepSchema.validateSync({ siren: '214202186', vAlue: 0 }, { strict: true })).toThrow('Champ inattendu : « vAlue ».');
  });
});
