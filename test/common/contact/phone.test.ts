import { describe, expect, it } from 'vitest';
import { formatFrenchPhone, normalizeFrenchPhone } from '../../../common/contact/phone.js';

describe('French phone numbers', () => {
  it.each([
    ['01 23 45 67 89', '+33123456789'],
    ['01.23.45.67.89', '+33123456789'],
    ['06-12-34-56-78', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['+262 262 12 34 56', '+262262123456'],
  ])('reads %s', (typed, normalized) => {
    expect(normalizeFrenchPhone(typed)).toBe(normalized);
  });

  it.each(['12345', '00 12 34 56 78', '+44 20 7946 0958', '01 23 45 67', 'téléphone'])('refuses %s', (typed) => {
    expect(normalizeFrenchPhone(typed)).toBeNull();
  });

  it('shows a national number in pairs', () => {
    expect(formatFrenchPhone('+33477487748')).toBe('04 77 48 77 48');
  });
});
