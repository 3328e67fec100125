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

export function identifierErrorMessage(parsed: ParsedIdentifier): string {
  return parsed.kind === 'siren'
    ? `Le numéro SIREN ${parsed.digits} n'est pas valide : sa clé de contrôle est incorrecte. Vérifiez les 9 chiffres.`
    : `Le numéro SIRET ${parsed.digits} n'est pas valide : sa clé de contrôle est incorrecte. Vérifiez les 14 chiffres.`;
}
