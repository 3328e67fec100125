import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RegistrationOutcome, RegistrationResponse } from '../../common/api/contracts.js';
import {
  contactStepSchema,
  identityStepSchema,
  organisationStepSchema,
  type ConfirmStep,
  type RegistrationRequest,
} from '../../common/registration/steps.js';
import { newIdempotencyKey } from '../../common/registration/offline.js';
import { isKiosk } from '../platform/index.js';
import { submitRegistration } from '../services/api.js';
import { catchApiFailure, isUnreachable, type ApiFailure } from '../services/http.js';
import { useOutboxStore } from './outbox.js';
import { useStoredDraft, type RegistrationDraft, type WizardStep } from './registration-draft.js';

export const DRAFT_STORAGE_KEY = 'guichet.draft.v1';

export const WIZARD_STEPS = [
  'Votre fonction et votre identité',
  'Votre organisme de rattachement',
  'Vos coordonnées',
  'Terminer le formulaire de saisie',
] as const;

export type SubmitResult = 'sent' | 'queued' | 'incomplete' | 'refused';

export interface SubmittedOutcome {
  /** "queued": kept on this device, to be sent when the service is back. */
  outcome: RegistrationOutcome | 'queued';
  message: string;
  email: string;
}

export const QUEUED_MESSAGE =
  'Le service est momentanément injoignable : la demande est enregistrée sur ce poste et lui sera transmise dès son retour. Elle sera alors soumise à l\'approbation de l\'ANRU.';

/** Which step holds a field path of the registration request ("contact.email" → 3). */
const STEP_OF_SECTION: Record<string, WizardStep> = { identity: 1, organisation: 2, contact: 3, confirm: 4 };

function stepOfField(path: string): WizardStep | undefined {
  return STEP_OF_SECTION[path.split('.')[0] ?? ''];
}

/** The completed steps of a registration, without the last step's confirmation. */
export type CompletedSteps = Omit<RegistrationRequest, 'confirm'>;

/** Keeps a completed request on this device, to be sent when the service is back; resolves once it is kept. */
export type KeepForLater = (steps: CompletedSteps, idempotencyKey: string) => Promise<void>;

/** What the steps shared by every wizard need from its store, whoever fills it in. */
export interface WizardStore {
  draft: RegistrationDraft;
  serverErrors: Record<string, string>;
  submitError: string | null;
  submitting: boolean;
  /** Whether a completed request can be kept on this device while the service is unreachable. */
  canKeep: boolean;
  goTo(step: WizardStep): void;
  takeServerErrors(section: string): Record<string, string>;
}

/**
 * The wizard's draft and submission, for the applicant's own form and for the agent's phone registration:
 * each has its own storage key and its own way of sending the last step, and of keeping it when the service
 * cannot be reached (null: the request cannot be kept, as in a plain browser at home).
 */
export function wizardStoreSetup<Confirm>(
  storageKey: string,
  send: (steps: CompletedSteps, confirm: Confirm, idempotencyKey: string) => Promise<RegistrationResponse>,
  keep: KeepForLater | null,
) {
  const { draft, clear } = useStoredDraft(storageKey);

  /** Field messages of the last refused submission, by path, waiting for their step to show them. */
  const serverErrors = ref<Record<string, string>>({});
  const submitError = ref<string | null>(null);
  const submitting = ref(false);
  const outcome = ref<SubmittedOutcome | null>(null);
  const canKeep = keep !== null;
  // One key per request, whatever the number of attempts: an answer lost on the way must not make two requests.
  let idempotencyKey = newIdempotencyKey();

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

  /** Starts a new registration from a blank form, forgetting the previous outcome. */
  function restart(): void {
    clear();
    idempotencyKey = newIdempotencyKey();
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
      () => {
        const { siren, offDirectory } = draft.organisation;
        return { organisation: organisationStepSchema.validateSync(offDirectory ? { siren, offDirectory } : { siren }) };
      },
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

  function incomplete(): WizardStep | null {
    const steps = completedSteps();
    if (typeof steps !== 'number') return null;
    submitError.value = 'Certaines informations sont incomplètes : vérifiez cette étape avant de confirmer.';
    draft.step = steps;
    return steps;
  }

  function done(result: SubmittedOutcome): void {
    outcome.value = result;
    idempotencyKey = newIdempotencyKey();
    clear();
  }

  /** Keeps the request on this device; the screen may say "enregistré" only once this resolves with 'queued'. */
  async function keepForLater(steps: CompletedSteps): Promise<SubmitResult> {
    if (!keep) return 'refused';
    try {
      await keep(steps, idempotencyKey);
    } catch {
      submitError.value = 'La demande n\'a pas pu être enregistrée sur ce poste. Réessayez ; si le problème persiste, notez-la et prévenez l\'administrateur.';
      return 'refused';
    }
    done({ outcome: 'queued', message: QUEUED_MESSAGE, email: steps.contact.email });
    return 'queued';
  }

  /**
   * Sends the registration; on refusal, routes each field message to the step that holds the field. When the
   * service cannot be reached, a wizard that can keep requests keeps it for later.
   */
  async function submit(confirm: Confirm): Promise<SubmitResult> {
    submitError.value = null;
    if (incomplete()) return 'incomplete';
    const steps = completedSteps() as CompletedSteps;
    submitting.value = true;
    try {
      return await catchApiFailure(
        send(steps, confirm, idempotencyKey).then((response): SubmitResult => {
          done({ outcome: response.outcome, message: response.message, email: steps.contact.email });
          return 'sent';
        }),
        (failure) => refused(failure, steps),
      );
    } finally {
      submitting.value = false;
    }
  }

  /** Keeps the request when the service cannot be reached and the wizard may keep it; otherwise shows why it was refused. */
  function refused(failure: ApiFailure, steps: CompletedSteps): Promise<SubmitResult> | SubmitResult {
    if (keep && isUnreachable(failure)) return keepForLater(steps);
    submitError.value = failure.body.message;
    const fields = failure.body.fields ?? {};
    serverErrors.value = fields;
    const concerned = Object.keys(fields)
      .map(stepOfField)
      .filter((step): step is WizardStep => step !== undefined);
    if (concerned.length > 0) draft.step = Math.min(...concerned) as WizardStep;
    return 'refused';
  }

  /** Keeps the request without trying the service: it is known to be unreachable (no captcha could be shown). */
  async function keepOffline(): Promise<SubmitResult> {
    submitError.value = null;
    if (incomplete()) return 'incomplete';
    submitting.value = true;
    try {
      return await keepForLater(completedSteps() as CompletedSteps);
    } finally {
      submitting.value = false;
    }
  }

  return { draft, serverErrors, submitError, submitting, outcome, canKeep, goTo, takeServerErrors, clear, restart, submit, keepOffline };
}

/** The applicant's own wizard. Only a kiosk keeps requests for later: at home, the applicant can simply retry. */
export const useRegistrationStore = defineStore('registration', () => {
  const kiosk = isKiosk();
  return wizardStoreSetup(
    DRAFT_STORAGE_KEY,
    (steps, confirm: ConfirmStep, idempotencyKey) => submitRegistration({ ...steps, confirm }, { idempotencyKey }),
    kiosk
      ? (steps, idempotencyKey) =>
          useOutboxStore().queueKioskRegistration({ idempotencyKey, registration: { ...steps, confirm: { termsAccepted: true } } })
      : null,
  );
});
