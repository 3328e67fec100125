import { createRequire } from 'node:module';
// Imported, not read at run time: the desktop app's bundle of the service
// holds it, where a path relative to this file would not exist.
import frenchFreeMail from './free-mail-domains.fr.json';

// email-providers lists webmail and access providers worldwide; the French
// access providers it misses are added in free-mail-domains.fr.json.
const requireData = createRequire(import.meta.url);
const FREE_MAIL_DOMAINS = new Set<string>([...(requireData('email-providers/all.json') as string[]), ...frenchFreeMail.domains]);

// Webmail brands that exist under many country endings (hotmail.fr, yahoo.co.uk …).
const FREE_MAIL_BRANDS = new Set(['gmail', 'googlemail', 'hotmail', 'outlook', 'live', 'msn', 'yahoo', 'ymail', 'aol', 'gmx', 'icloud', 'protonmail', 'yandex']);

/** The lower-case domain of an email address (what follows its last "@"). */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).trim().toLowerCase();
}

/**
 * A free-mail or shared domain (gmail.com, orange.fr, hotmail.* …): anyone can
 * have an address there, so it proves no one belongs to an organisation.
 */
export function isFreeMailDomain(domain: string): boolean {
  const name = domain.toLowerCase();
  return FREE_MAIL_DOMAINS.has(name) || FREE_MAIL_BRANDS.has(name.split('.')[0] ?? '');
}
