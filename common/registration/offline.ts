import * as yup from 'yup';
import { UNKNOWN_FIELD } from '../validation/locale.js';
import { confirmStepSchema, contactStepSchema, identityStepSchema, organisationStepSchema } from './steps.js';

// A request typed while the service could not be reached (a desk or a kiosk
// without network) is kept on the device and sent later. Its organisation could
// not be looked up and no captcha could be shown: the service must send it to
// the approval queue whatever the trust domain says.

/** Set on the replay of a request captured offline; its value is the ISO date of the capture. */
export const CAPTURED_OFFLINE_HEADER = 'X-Guichet-Captured-Offline';

/**
 * Carries an enrolled kiosk's key: on the replay of its applicants' requests,
 * which the service then takes without a captcha, and on those sent live,
 * which it records as the kiosk's. The desktop app's main process adds it;
 * the page never holds the key.
 */
export const KIOSK_KEY_HEADER = 'X-Guichet-Kiosk-Key';

/** A kiosk key as the service issues it: 256 random bits, base64url. */
export const KIOSK_KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Makes a replay harmless: the service answers a known key with its first answer and creates nothing. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export const idempotencyKeySchema = yup
  .string()
  .required('La clé d\'idempotence est obligatoire.')
  .matches(/^[\w-]{8,100}$/, 'La clé d\'idempotence doit compter de 8 à 100 lettres, chiffres, tirets ou soulignés.');

/** The last step of a kiosk applicant typed offline: the terms are accepted, there was no captcha to solve. */
export const offlineConfirmSchema = confirmStepSchema.pick(['termsAccepted']).exact(UNKNOWN_FIELD);

export const offlineRegistrationSchema = yup
  .object({
    identity: identityStepSchema.required(),
    organisation: organisationStepSchema.required(),
    contact: contactStepSchema.required(),
    confirm: offlineConfirmSchema.required(),
  })
  .exact(UNKNOWN_FIELD);
export type OfflineRegistration = yup.InferType<typeof offlineRegistrationSchema>;

/** A fresh key for one request. getRandomValues, unlike randomUUID, also exists on a page served over plain http. */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
