// SIREN (9 digits) and SIRET (14 digits) carry a Luhn check digit. La Poste's
// establishments are the documented exception: there are more of them than
// the Luhn scheme leaves room for under one SIREN, so their SIRETs only need
// a digit sum divisible by 5 (the head office's own SIRET is Luhn-valid).
export const LA_POSTE_SIREN = '356000000';

export type IdentifierKind = 'siren' | 'siret';

export interface ParsedIdentifier {
  kind: IdentifierKind;
  digits: string;
  valid: boolean;
  siren: string;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isValidSiren(value: string): boolean {
  return /^\d{9}$/.test(value) && luhnValid(value);
}

export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (value.startsWith(LA_POSTE_SIREN)) {
    let sum = 0;
    for (const c of value) sum += c.charCodeAt(0) - 48;
    return sum % 5 === 0 || luhnValid(value);
  }
  return luhnValid(value);
}

/**
 * Reads a search string as a SIREN or SIRET when it is nothing but 9 or 14
 * digits (spaces, dots and dashes allowed, as people copy them from documents).
 */
export function parseIdentifier(input: string): ParsedIdentifier | null {
  const digits = input.replace(/[\s.\-]/g, '');
  if (/^\d{9}$/.test(digits)) {
    return { kind: 'siren', digits, valid: isValidSiren(digits), siren: digits };
  }
  if (/^\d{14}$/.test(digits)) {
    return { kind: 'siret', digits, valid: isValidSiret(digits), siren: digits.slice(0, 9) };
  }
  return null;
}

/**
 * The French message for a search that is nothing but a number of the wrong
 * length to be a SIREN or a SIRET (a digit missing or one too many), or null.
 * Shorter numbers are postcodes and département codes, and several groups of
 * 5 digits are several postcodes: those stay searches.
 */
export function identifierLengthMessage(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[\d\s.\-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/[\s.\-]/g, '');
  if (digits.length < 6 || digits.length === 9 || digits.length === 14) return null;
  if (trimmed.split(/\s+/).every((group) => /^\d{5}$/.test(group))) return null;
  return `Un SIREN compte 9 chiffres et un SIRET 14 : le numéro saisi en compte ${digits.length}. Vérifiez-le.`;
}

export function identifierErrorMessage(parsed: ParsedIdentifier): string {
  return parsed.kind === 'siren'
    ? `Le numéro SIREN ${parsed.digits} n'est pas valide : sa clé de contrôle est incorrecte. Vérifiez les 9 chiffres.`
    : `Le numéro SIRET ${parsed.digits} n'est pas valide : sa clé de contrôle est incorrecte. Vérifiez les 14 chiffres.`;
}
