import { describe, expect, it } from 'vitest';
import { identifierLengthMessage, isValidSiren, isValidSiret, parseIdentifier } from '../../../common/identifiers/siren.js';

describe('SIREN and SIRET checks', () => {
  it('accepts real SIRENs and refuses a wrong check digit', () => {
    expect(isValidSiren('214202186')).toBe(true); // Saint-Étienne
    expect(isValidSiren('200046977')).toBe(true); // Métropole de Lyon
    expect(isValidSiren('214202187')).toBe(false);
    expect(isValidSiren('21420218')).toBe(false);
    expect(isValidSiren('21420218a')).toBe(false);
  });

  it('accepts a SIRET whose Luhn sum holds, and refuses one digit off', () => {
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(isValidSiret('73282932000075')).toBe(false);
  });

  it("accepts La Poste's SIRETs, which are checked by the sum of their digits instead", () => {
    expect(isValidSiret('35600000000048')).toBe(true); // head office, Luhn-valid
    expect(isValidSiret('35600000049837')).toBe(true); // Luhn fails, digit sum 50
    expect(isValidSiret('35600000049838')).toBe(false);
    expect(parseIdentifier('356 000 000 49837')).toMatchObject({ valid: true, siren: '356000000' });
  });

  it('reads identifiers typed with spaces and takes the SIREN from a SIRET', () => {
    expect(parseIdentifier('214 202 186')).toEqual({ kind: 'siren', digits: '214202186', valid: true, siren: '214202186' });
    expect(parseIdentifier('732 829 320 00074')).toMatchObject({ kind: 'siret', valid: true, siren: '732829320' });
    expect(parseIdentifier('Saint-Étienne')).toBeNull();
    expect(parseIdentifier('42000')).toBeNull();
  });
});

describe('numbers of the wrong length', () => {
  it('says a SIREN has 9 digits and a SIRET 14, with the count typed', () => {
    expect(identifierLengthMessage('35600000')).toBe('Un SIREN compte 9 chiffres et un SIRET 14 : le numéro saisi en compte 8. Vérifiez-le.');
    expect(identifierLengthMessage('356 000 000 0004')).toContain('en compte 13');
    expect(identifierLengthMessage('356.000.000.000.481')).toContain('en compte 15');
    expect(identifierLengthMessage('2142021861')).toContain('en compte 10');
  });

  it('leaves identifiers, postcodes, département codes and names alone', () => {
    for (const q of ['214202186', '356 000 000 00048', '42000', '42', '974', '42000 42100', 'Saint-Étienne', 'rue 12345678']) {
      expect(identifierLengthMessage(q), q).toBeNull();
    }
  });
});
