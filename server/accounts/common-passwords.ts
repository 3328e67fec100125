import { dictionary } from '@zxcvbn-ts/language-common';

// The ~49,000 most common passwords of public breach corpora, as shipped by
// zxcvbn-ts (all lowercase). Checked on the service only: the list is too big
// to send to every kiosk.
const COMMON = new Set<string>(dictionary['passwords-common'] as string[]);
const MIN_BASE_LENGTH = 5;

/**
 * True for a listed password in any letter case, and for a listed word
 * dressed up with trailing digits or symbols ("Soleil2024!"), the usual way
 * people meet a digit-and-uppercase rule.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return true;
  // The trailing run is only tried from its first character: linear in the password's length.
  const base = lower.replace(/(?<![\d\W_])[\d\W_]+$/u, '');
  return base.length >= MIN_BASE_LENGTH && base !== lower && COMMON.has(base);
}

export function containsPersonalData(password: string, email: string, names: string[]): boolean {
  const lower = password.toLowerCase();
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  const parts = [local, ...names.map((n) => n.toLowerCase())].filter((p) => p.length >= 4);
  return parts.some((p) => lower.includes(p));
}
