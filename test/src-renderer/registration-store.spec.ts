import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../src-renderer/services/api.js';
import { DRAFT_STORAGE_KEY, useRegistrationStore } from '../../src-renderer/stores/registration.js';
import { parseDraft } from '../../src-renderer/stores/registration-draft.js';
import { failure, freshPinia } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');

const LYON = {
  siren: '216901231',
  name: 'Lyon',
  kind: 'Commune',
  legalCategory: '7210',
  legalCategoryLabel: 'Commune et commune nouvelle',
  town: 'Lyon',
  postcodes: ['69001'],
  departement: '69',
};

function fillDraft(): ReturnType<typeof useRegistrationStore> {
  const store = useRegistrationStore();
  Object.assign(store.draft.identity, {
    civility: 'Mme',
    lastName: 'Dupont',
    firstName: 'Marie',
    jobTitle: 'Cheffe de projet',
    quartiersFertiles: true,
  });
  Object.assign(store.draft.organisation, { siren: LYON.siren, selected: LYON, query: 'lyon', page: 2 });
  Object.assign(store.draft.contact, { email: 'marie.dupont@lyon.fr', phone: '04 72 10 30 30' });
  store.draft.termsAccepted = true;
  store.draft.step = 4;
  return store;
}

const CONFIRM = { captchaId: 'c1', captchaAnswer: 'aB3xYz', termsAccepted: true as const };

describe('registration draft store', () => {
  beforeEach(() => {
    freshPinia();
  });

  it('survives a reload: a new store reads back what the previous one saved', () => {
    fillDraft();
    freshPinia();
    const reloaded = useRegistrationStore();
    expect(reloaded.draft.step).toBe(4);
    expect(reloaded.draft.identity).toEqual({
      civility: 'Mme',
      lastName: 'Dupont',
      firstName: 'Marie',
      jobTitle: 'Cheffe de projet',
      quartiersFertiles: true,
    });
    expect(reloaded.draft.organisation).toEqual({ siren: LYON.siren, selected: LYON, offDirectory: null, query: 'lyon', page: 2 });
    expect(reloaded.draft.contact.email).toBe('marie.dupont@lyon.fr');
  });

  it('degrades a stored draft it cannot trust to blanks instead of failing', () => {
    expect(parseDraft('{not json')).toBeNull();
    const draft = parseDraft(
      JSON.stringify({ step: 9, identity: { civility: 'Dr', lastName: 42 }, organisation: { selected: { siren: 1 } } }),
    );
    expect(draft?.step).toBe(1);
    expect(draft?.identity.civility).toBeNull();
    expect(draft?.identity.lastName).toBe('');
    expect(draft?.organisation.selected).toBeNull();
  });

  it('never puts the captcha answer in storage and forgets the draft after a successful submission', async () => {
    vi.mocked(api.submitRegistration).mockImplementation(async () => {
      expect(sessionStorage.getItem(DRAFT_STORAGE_KEY)).not.toContain(CONFIRM.captchaAnswer);
      return { outcome: 'invitation_sent', message: 'Un e-mail vous a été adressé.' };
    });
    const store = fillDraft();

    await expect(store.submit(CONFIRM)).resolves.toBe('sent');

    expect(api.submitRegistration).toHaveBeenCalledWith({
      identity: { civility: 'Mme', lastName: 'Dupont', firstName: 'Marie', jobTitle: 'Cheffe de projet', quartiersFertiles: true },
      organisation: { siren: LYON.siren },
      contact: { email: 'marie.dupont@lyon.fr', phone: '04 72 10 30 30' },
      confirm: CONFIRM,
    }, { idempotencyKey: expect.any(String) });
    expect(sessionStorage.getItem(DRAFT_STORAGE_KEY)).toBeNull();
    expect(store.outcome).toEqual({ outcome: 'invitation_sent', message: 'Un e-mail vous a été adressé.', email: 'marie.dupont@lyon.fr' });
    expect(store.draft.identity.lastName).toBe('');
  });

  it('sends an organisation outside the directory with its name and commune, and keeps them over a reload', async () => {
    vi.mocked(api.submitRegistration).mockResolvedValue({ outcome: 'pending_approval', message: "Soumise à l'approbation de l'ANRU." });
    const store = fillDraft();
    Object.assign(store.draft.organisation, { siren: '356000000', selected: null, offDirectory: { name: ' La Poste ', commune: '75015 Paris' } });
    freshPinia();
    const reloaded = useRegistrationStore();
    expect(reloaded.draft.organisation.offDirectory).toEqual({ name: ' La Poste ', commune: '75015 Paris' });

    await expect(reloaded.submit(CONFIRM)).resolves.toBe('sent');
    expect(vi.mocked(api.submitRegistration).mock.calls[0]![0].organisation).toEqual({
      siren: '356000000',
      offDirectory: { name: 'La Poste', commune: '75015 Paris' },
    });
  });

  it('sends the user to the earliest step the service refused, with the messages for that step', async () => {
    vi.mocked(api.submitRegistration).mockRejectedValue(
      failure(400, {
        error: 'validation_failed',
        message: 'L\'adresse e-mail n\'est pas valide.',
        fields: { 'contact.email': 'L\'adresse e-mail n\'est pas valide.', 'confirm.captchaAnswer': 'Mauvaise réponse.' },
      }),
    );
    const store = fillDraft();

    await expect(store.submit(CONFIRM)).resolves.toBe('refused');

    expect(store.draft.step).toBe(3);
    expect(store.submitError).toBe('L\'adresse e-mail n\'est pas valide.');
    expect(store.takeServerErrors('contact')).toEqual({ email: 'L\'adresse e-mail n\'est pas valide.' });
    expect(store.takeServerErrors('contact')).toEqual({});
    expect(store.serverErrors).toEqual({ 'confirm.captchaAnswer': 'Mauvaise réponse.' });
  });

  it('does not send an incomplete draft and opens the step to complete', async () => {
    const store = fillDraft();
    store.draft.organisation.siren = '';

    await expect(store.submit(CONFIRM)).resolves.toBe('incomplete');

    expect(api.submitRegistration).not.toHaveBeenCalled();
    expect(store.draft.step).toBe(2);
  });
});
