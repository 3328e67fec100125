import { reactive, watch } from 'vue';
import type { Organisation } from '../../common/api/contracts.js';
import { CIVILITIES, type Civility } from '../../common/registration/steps.js';
import { draftStorage } from '../platform/index.js';

// What a wizard keeps of its draft between page loads, under its own storage
// key: read back field by field, written at each change, removed when done.

export type WizardStep = 1 | 2 | 3 | 4;

/** What the applicant typed so far. The captcha answer is never part of it. */
export interface RegistrationDraft {
  step: WizardStep;
  identity: {
    civility: Civility | null;
    lastName: string;
    firstName: string;
    jobTitle: string;
    quartiersFertiles: boolean;
  };
  organisation: {
    siren: string;
    /** Kept for the recap: the chosen unit may not be on the result page shown. */
    selected: Organisation | null;
    /** A valid SIREN the directory lacks, as the person names the organisation (the request is then checked by the ANRU). */
    offDirectory: { name: string; commune: string } | null;
    query: string;
    page: number;
  };
  contact: { email: string; phone: string };
  termsAccepted: boolean;
}

function emptyDraft(): RegistrationDraft {
  return {
    step: 1,
    identity: { civility: null, lastName: '', firstName: '', jobTitle: '', quartiersFertiles: false },
    organisation: { siren: '', selected: null, offDirectory: null, query: '', page: 1 },
    contact: { email: '', phone: '' },
    termsAccepted: false,
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function isOrganisation(value: unknown): value is Organisation {
  const o = record(value);
  return typeof o.siren === 'string' && typeof o.name === 'string' && Array.isArray(o.postcodes);
}

/** Reads a stored draft field by field, so a draft from an older build or a tampered one degrades to blanks. */
export function parseDraft(raw: string | null): RegistrationDraft | null {
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const root = record(parsed);
  const identity = record(root.identity);
  const organisation = record(root.organisation);
  const contact = record(root.contact);
  const step = root.step;
  const page = organisation.page;
  const offDirectory = record(organisation.offDirectory);
  return {
    step: step === 1 || step === 2 || step === 3 || step === 4 ? step : 1,
    identity: {
      civility: CIVILITIES.find((c) => c === identity.civility) ?? null,
      lastName: text(identity.lastName),
      firstName: text(identity.firstName),
      jobTitle: text(identity.jobTitle),
      quartiersFertiles: identity.quartiersFertiles === true,
    },
    organisation: {
      siren: text(organisation.siren),
      selected: isOrganisation(organisation.selected) ? organisation.selected : null,
      offDirectory: organisation.offDirectory ? { name: text(offDirectory.name), commune: text(offDirectory.commune) } : null,
      query: text(organisation.query),
      page: typeof page === 'number' && Number.isInteger(page) && page > 0 ? page : 1,
    },
    contact: { email: text(contact.email), phone: text(contact.phone) },
    termsAccepted: root.termsAccepted === true,
  };
}

function readStoredDraft(storageKey: string): RegistrationDraft | null {
  try {
    return parseDraft(draftStorage().getItem(storageKey));
  } catch {
    // Storage can be disabled (private mode, kiosk policy): the wizard still works, without reload safety.
    return null;
  }
}

function writeStoredDraft(storageKey: string, draft: RegistrationDraft | null): void {
  try {
    if (draft) draftStorage().setItem(storageKey, JSON.stringify(draft));
    else draftStorage().removeItem(storageKey);
  } catch {
    // Same as above: losing reload safety must not break the form.
  }
}

/**
 * The wizard's draft, read back from the platform's draft storage under `storageKey` and written there at
 * each change; `clear` blanks it and removes the key.
 */
export function useStoredDraft(storageKey: string): { draft: RegistrationDraft; clear: () => void } {
  const draft = reactive<RegistrationDraft>(readStoredDraft(storageKey) ?? emptyDraft());
  // Synchronous so that a reload right after a keystroke keeps it, and so that clear() really removes the key.
  watch(draft, (value) => writeStoredDraft(storageKey, value), { deep: true, flush: 'sync' });

  function clear(): void {
    Object.assign(draft, emptyDraft());
    writeStoredDraft(storageKey, null);
  }

  return { draft, clear };
}
