import type { OutboxEntry } from '../../../common/outbox/outbox.js';
import type { PhoneRegistrationRequest } from '../../../common/staff/schemas.js';

export const ASSOCIATION_SIREN = '775672272';

/** A complete phone registration, as the wizard sends it, for a person named after `n`. */
export function phoneRegistration(n: number | string, siren = ASSOCIATION_SIREN): PhoneRegistrationRequest {
  return {
    identity: { civility: 'Mme', lastName: 'Horsligne', firstName: 'Camille', jobTitle: 'Chargée de mission', quartiersFertiles: false },
    organisation: { siren },
    contact: { email: `personne${n}@quartiers-solidaires.org`, phone: '04 72 10 30 30' },
    confirm: { termsAccepted: true },
  };
}

export function phoneEntry(n: number | string, capturedAt = new Date(Date.UTC(2026, 11, 1, 9, 0, Number(n) || 0)).toISOString()): OutboxEntry {
  return { kind: 'phone-registration', id: `entree-${n}-0000`, capturedAt, registration: phoneRegistration(n) };
}

/** An applicant's request a kiosk kept while offline: the same wizard, no captcha. */
export function kioskEntry(n: number | string, capturedAt = new Date(Date.UTC(2026, 11, 1, 10, 0, Number(n) || 0)).toISOString()): OutboxEntry {
  return { kind: 'kiosk-registration', id: `borne-${n}-0000`, capturedAt, registration: phoneRegistration(`borne${n}`) };
}
