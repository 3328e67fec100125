import { defineStore } from 'pinia';
import { reactive, ref, watch } from 'vue';
import type { Organisation, RegistrationOutcome, RegistrationResponse } from '../../common/api/contracts.js';
import {
  CIVILITIES,
  contactStepSchema,
  identityStepSchema,
  organisationStepSchema,
  type Civility,
  type ConfirmStep,
  type RegistrationRequest,
} from '../../common/registration/steps.js';
import { submitRegistration } from '../services/api.js';
import { apiFailure } from '../services/http.js';

export const DRAFT_STORAGE_KEY = 'guichet.draft.v1';

export const WIZARD_STEPS = [
  'Votre fonction et votre identité',
  'Votre organisme de rattachement',
  'Vos coordonnées',
  'Terminer le formulaire de saisie',
] as const;

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
    query: string;
    page: number;
  };
  contact: { email: string; phone: string };
  termsAccepted: boolean;
}

export type SubmitResult = 'sent' | 'incomplete' | 'refused';

export interface SubmittedOutcome {
  outcome: RegistrationOutcome;
  message: string;
  email: string;
}

/** Which step holds a field path of the registration request ("contact.email" → 3). */
const STEP_OF_SECTION: Record<string, WizardStep> = { identity: 1, organisation: 2, contact: 3, confirm: 4 };

function stepOfField(path: string): WizardStep | undefined {
  return STEP_OF_SECTION[path.split('.')[0] ?? ''];
}

function emptyDraft(): RegistrationDraft {
  return {
    step: 1,
    identity: { civility: null, lastName: '', firstName: '', jobTitle: '', quartiersFertiles: false },
    organisation: { siren: '', selected: null, query: '', page: 1 },
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
      query: text(organisation.query),
      page: typeof page === 'number' && Number.isInteger(page) && page > 0 ? page : 1,
    },
    contact: { email: text(contact.email), phone: text(contact.phone) },
    termsAccepted: root.termsAccepted === true,
  };
}

function readStoredDraft(storageKey: string): RegistrationDraft | null {
  try {
    return parseDraft(sessionStorage.getItem(storageKey));
  } catch {
    // Storage can be disabled (private mode, kiosk policy): the wizard still works, without reload safety.
    return null;
  }
}

function writeStoredDraft(storageKey: string, draft: RegistrationDraft | null): void {
  try {
    if (draft) sessionStorage.setItem(storageKey, JSON.stringify(draft));
    else sessionStorage.removeItem(storageKey);
  } catch {
    // Same as above: losing reload safety must not break the form.
  }
}

/** The completed steps of a registration, without the last step's confirmation. */
export type CompletedSteps = Omit<RegistrationRequest, 'confirm'>;

/** What the steps shared by every wizard need from its store, whoever fills it in. */
export interface WizardStore {
  draft: RegistrationDraft;
  serverErrors: Record<string, string>;
  submitError: string | null;
  submitting: boolean;
  goTo(step: WizardStep): void;
  takeServerErrors(section: string): Record<string, string>;
}

/**
 * The wizard's draft and submission, for the applicant's own form and for the agent's phone registration:
 * each has its own storage key and its own way of sending the last step.
 */
export function wizardStoreSetup<Confirm>(
  storageKey: string,
  send: (steps: CompletedSteps, confirm: Confirm) => Promise<RegistrationResponse>,
) {
  const draft = reactive<RegistrationDraft>(readStoredDraft(storageKey) ?? emptyDraft());
  // Synchronous so that a reload right after a keystroke keeps it, and so that clear() really removes the key.
  watch(draft, (value) => writeStoredDraft(storageKey, value), { deep: true, flush: 'sync' });

  /** Field messages of the last refused submission, by path, waiting for their step to show them. */
  const serverErrors = ref<Record<string, string>>({});
  const submitError = ref<string | null>(null);
  const submitting = ref(false);
  const outcome = ref<SubmittedOutcome | null>(null);

  /** The user moves between steps: the message of an earlier refusal no longer applies. */
  function goTo(step: WizardStep): void {
    submitError.value = null;
    draft.step = step;
  }

  /** Removes and returns the pending server messages of one section, keyed by field name. */
  function takeServerErrors(section: string): Record<string, string> {
    const taken: Record<string, string> = {};
    const rest: Record<string, string> = {};
    for (const [path, message] of Object.entries(serverErrors.value)) {
      if (path.startsWith(`${section}.`)) taken[path.slice(section.length + 1)] = message;
      else rest[path] = message;
    }
    if (Object.keys(taken).length > 0) serverErrors.value = rest;
    return taken;
  }

  function clear(): void {
    Object.assign(draft, emptyDraft());
    writeStoredDraft(storageKey, null);
  }

  /** Starts a new registration from a blank form, forgetting the previous outcome. */
  function restart(): void {
    clear();
    outcome.value = null;
    submitError.value = null;
    serverErrors.value = {};
  }

  /**
   * The saved steps as their schemas read them (trimmed, e-mail in lower case), or the first step they
   * refuse: a draft restored from an older build, say.
   */
  function completedSteps(): CompletedSteps | WizardStep {
    const sections = [
      () => ({ identity: identityStepSchema.validateSync(draft.identity) }),
      () => ({ organisation: organisationStepSchema.validateSync({ siren: draft.organisation.siren }) }),
      () => ({ contact: contactStepSchema.validateSync(draft.contact) }),
    ] as const;
    const request: Partial<CompletedSteps> = {};
    for (const [index, read] of sections.entries()) {
      try {
        Object.assign(request, read());
      } catch {
        return (index + 1) as WizardStep;
      }
    }
    return request as CompletedSteps;
  }

  /** Sends the registration; on refusal, routes each field message to the step that holds the field. */
  async function submit(confirm: Confirm): Promise<SubmitResult> {
    submitError.value = null;
    const steps = completedSteps();
    if (typeof steps === 'number') {
      submitError.value = 'Certaines informations sont incomplètes : vérifiez cette étape avant de confirmer.';
      draft.step = steps;
      return 'incomplete';
    }
    submitting.value = true;
    try {
      const response = await send(steps, confirm);
      outcome.value = { outcome: response.outcome, message: response.message, email: steps.contact.email };
      clear();
      return 'sent';
    } catch (error) {
      const failure = apiFailure(error);
      if (!failure) throw error;
      submitError.value = failure.body.message;
      const fields = failure.body.fields ?? {};
      serverErrors.value = fields;
      const concerned = Object.keys(fields)
        .map(stepOfField)
        .filter((step): step is WizardStep => step !== undefined);
      if (concerned.length > 0) draft.step = Math.min(...concerned) as WizardStep;
      return 'refused';
    } finally {
      submitting.value = false;
    }
  }

  return { draft, serverErrors, submitError, submitting, outcome, goTo, takeServerErrors, clear, restart, submit };
}

export const useRegistrationStore = defineStore('registration', () =>
  wizardStoreSetup(DRAFT_STORAGE_KEY, (steps, confirm: ConfirmStep) => submitRegistration({ ...steps, confirm })),
);
