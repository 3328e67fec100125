import { defineStore } from 'pinia';
import { submitPhoneRegistration } from '../services/staff-api.js';
import { useOutboxStore } from './outbox.js';
import { wizardStoreSetup } from './registration.js';

// Its own key: an agent's draft never mixes with what an applicant typed in the same browser.
export const PHONE_DRAFT_STORAGE_KEY = 'guichet.phone-draft.v1';

/**
 * The wizard as an agent fills it in for a caller: no captcha, the agent confirms the caller accepted the terms.
 * While the service is unreachable, the completed request is kept on the desk and sent when it is back.
 */
export const usePhoneRegistrationStore = defineStore('phone-registration', () =>
  wizardStoreSetup(
    PHONE_DRAFT_STORAGE_KEY,
    (steps, confirm: { termsAccepted: boolean }, idempotencyKey) => submitPhoneRegistration({ ...steps, confirm }, idempotencyKey),
    (steps, idempotencyKey) =>
      useOutboxStore().queuePhoneRegistration({ idempotencyKey, registration: { ...steps, confirm: { termsAccepted: true } } }),
  ),
);
