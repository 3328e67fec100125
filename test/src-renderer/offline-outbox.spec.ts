import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../../common/outbox/outbox.js';
import { OUTBOX_STORAGE_KEY } from '../../src-renderer/platform/web-outbox.js';
import * as api from '../../src-renderer/services/api.js';
import { ApiFailure, http } from '../../src-renderer/services/http.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { useOutboxStore } from '../../src-renderer/stores/outbox.js';
import { usePhoneRegistrationStore } from '../../src-renderer/stores/phone-registration.js';
import { useRegistrationStore, type WizardStore } from '../../src-renderer/stores/registration.js';
import { failure, freshPinia } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

const UNREACHABLE = failure(0, { error: 'service_unreachable', message: 'Le service est momentanément injoignable.' });

function fill(store: WizardStore): void {
  Object.assign(store.draft.identity, { civility: 'M.', lastName: 'Martin', firstName: 'Paul', jobTitle: 'Directeur', quartiersFertiles: false });
  Object.assign(store.draft.organisation, { siren: '775672272', selected: null, query: '775672272', page: 1 });
  Object.assign(store.draft.contact, { email: 'paul.martin@quartiers-solidaires.org', phone: '04 72 10 30 30' });
  store.draft.step = 4;
}

function kept(): OutboxEntry[] {
  return (JSON.parse(localStorage.getItem(OUTBOX_STORAGE_KEY) ?? '{"pending":[]}') as { pending: OutboxEntry[] }).pending;
}

beforeEach(() => {
  freshPinia();
});
afterEach(() => {
  localStorage.clear();
  window.history.replaceState(null, '', '/');
});

describe('a desk\'s phone registration while the service is unreachable', () => {
  it('is kept on the device under the key of the attempt, and the wizard starts afresh', async () => {
    vi.mocked(staffApi.submitPhoneRegistration).mockRejectedValue(UNREACHABLE);
    const store = usePhoneRegistrationStore();
    fill(store);

    await expect(store.submit({ termsAccepted: true })).resolves.toBe('queued');

    const attemptKey = vi.mocked(staffApi.submitPhoneRegistration).mock.calls[0]?.[1];
    expect(kept()).toEqual([
      {
        kind: 'phone-registration',
        id: attemptKey,
        capturedAt: expect.any(String),
        registration: {
          identity: { civility: 'M.', lastName: 'Martin', firstName: 'Paul', jobTitle: 'Directeur', quartiersFertiles: false },
          organisation: { siren: '775672272' },
          contact: { email: 'paul.martin@quartiers-solidaires.org', phone: '04 72 10 30 30' },
          confirm: { termsAccepted: true },
        },
      },
    ]);
    expect(store.outcome?.outcome).toBe('queued');
    expect(store.draft.identity.lastName).toBe('');
    expect(useOutboxStore().status.pending).toBe(1);

    // The next request gets a key of its own.
    fill(store);
    await store.submit({ termsAccepted: true });
    expect(vi.mocked(staffApi.submitPhoneRegistration).mock.calls[1]?.[1]).not.toBe(attemptKey);
  });

  it('keeps the same key across attempts of one request, and keeps nothing the service refused', async () => {
    vi.mocked(staffApi.submitPhoneRegistration).mockRejectedValue(failure(400, { error: 'validation_failed', message: 'Refusée.' }));
    const store = usePhoneRegistrationStore();
    fill(store);
    await expect(store.submit({ termsAccepted: true })).resolves.toBe('refused');
    await expect(store.submit({ termsAccepted: true })).resolves.toBe('refused');
    const [first, second] = vi.mocked(staffApi.submitPhoneRegistration).mock.calls.map((call) => call[1]);
    expect(first).toBe(second);
    expect(kept()).toEqual([]);
  });

  it('is sent again with its key when the service is back, and leaves the device', async () => {
    vi.mocked(staffApi.submitPhoneRegistration).mockRejectedValue(UNREACHABLE);
    const store = usePhoneRegistrationStore();
    fill(store);
    await store.submit({ termsAccepted: true });
    const key = kept()[0]?.id;

    const post = vi.spyOn(http, 'post').mockRejectedValueOnce(new ApiFailure(0, UNREACHABLE.body));
    const outbox = useOutboxStore();
    await outbox.replay();
    expect(outbox.status.pending).toBe(1);

    post.mockResolvedValueOnce({ status: 202, data: { outcome: 'pending_approval', message: 'En attente.' } });
    await outbox.replay();
    expect(outbox.status).toEqual({ pending: 0, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
    expect(post).toHaveBeenLastCalledWith('staff/phone-registrations', expect.objectContaining({ contact: expect.objectContaining({ email: 'paul.martin@quartiers-solidaires.org' }) }), {
      headers: { 'Idempotency-Key': key, 'X-Guichet-Captured-Offline': expect.any(String) },
    });
    post.mockRestore();
  });
});

describe('an applicant\'s request while the service is unreachable', () => {
  it('in a browser at home: is not kept; the applicant is told to try again', async () => {
    vi.mocked(api.submitRegistration).mockRejectedValue(UNREACHABLE);
    const store = useRegistrationStore();
    fill(store);
    expect(store.canKeep).toBe(false);
    await expect(store.submit({ captchaId: 'c1', captchaAnswer: 'x', termsAccepted: true })).resolves.toBe('refused');
    expect(store.submitError).toBe('Le service est momentanément injoignable.');
    expect(kept()).toEqual([]);
  });

  it('on a kiosk: is kept without a captcha, for the approval queue, and never counted on screen', async () => {
    window.history.replaceState(null, '', '/?kiosque=1');
    const store = useRegistrationStore();
    fill(store);
    expect(store.canKeep).toBe(true);

    await expect(store.keepOffline()).resolves.toBe('queued');
    expect(kept()).toEqual([expect.objectContaining({ kind: 'kiosk-registration', registration: expect.objectContaining({ confirm: { termsAccepted: true } }) })]);
    expect(api.submitRegistration).not.toHaveBeenCalled();
    expect(store.outcome?.outcome).toBe('queued');
  });
});
