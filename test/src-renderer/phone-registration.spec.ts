import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../src-renderer/services/api.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { PHONE_DRAFT_STORAGE_KEY, usePhoneRegistrationStore } from '../../src-renderer/stores/phone-registration.js';
import { DRAFT_STORAGE_KEY, useRegistrationStore } from '../../src-renderer/stores/registration.js';
import { failure, settle } from './helpers.js';
import { mountStaffApp } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

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

/** An agent who took the caller through the first three steps. */
async function atLastStep() {
  const mounted = await mountStaffApp('/personnel/telephone', 'agent');
  const store = usePhoneRegistrationStore();
  Object.assign(store.draft.identity, { civility: 'M.', lastName: 'Martin', firstName: 'Paul', jobTitle: 'Directeur', quartiersFertiles: false });
  Object.assign(store.draft.organisation, { siren: LYON.siren, selected: LYON, query: 'lyon', page: 1 });
  Object.assign(store.draft.contact, { email: 'paul.martin@lyon.fr', phone: '04 72 10 30 30' });
  store.draft.step = 4;
  await flushPromises();
  return { ...mounted, store };
}

describe('phone registration', () => {
  it('runs the same wizard, worded for the agent, with its own draft', async () => {
    const { wrapper } = await mountStaffApp('/personnel/telephone', 'agent');

    expect(wrapper.get('h1').text()).toBe('Inscription par téléphone');
    expect(wrapper.get('label[for="quartiersFertiles"]').text()).toBe('La personne est maître d\'ouvrage Quartiers Fertiles');
    await wrapper.get('#lastName').setValue('Martin');
    await flushPromises();

    expect(JSON.parse(sessionStorage.getItem(PHONE_DRAFT_STORAGE_KEY) ?? '{}').identity.lastName).toBe('Martin');
    expect(sessionStorage.getItem(DRAFT_STORAGE_KEY)).toBeNull();
    expect(useRegistrationStore().draft.identity.lastName).toBe('');
  });

  it('ends with the recap and the agent\'s confirmation instead of a captcha', async () => {
    const { wrapper } = await atLastStep();

    expect(wrapper.find('[data-testid="captcha-image"]').exists()).toBe(false);
    expect(wrapper.find('#captchaAnswer').exists()).toBe(false);
    expect(api.createCaptcha).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('Récapitulatif de la saisie');
    expect(wrapper.get('label[for="phone-terms-accepted"]').text()).toBe(
      'La personne a pris connaissance des conditions générales d\'utilisation et les accepte',
    );
  });

  it('does not send until the agent confirms the person accepted the terms', async () => {
    const { wrapper } = await atLastStep();

    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.get('#phone-terms-accepted-messages').text()).toBe(
      'Confirmez que la personne accepte les conditions générales d\'utilisation.',
    );
    expect(staffApi.submitPhoneRegistration).not.toHaveBeenCalled();
  });

  it('posts the phone registration without captcha, shows the outcome, and starts over on request', async () => {
    vi.mocked(staffApi.submitPhoneRegistration).mockResolvedValue({
      outcome: 'pending_approval',
      message: 'La demande est soumise à l\'approbation de l\'ANRU.',
    });
    const { wrapper, store } = await atLastStep();

    await wrapper.get('#phone-terms-accepted').setValue(true);
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(staffApi.submitPhoneRegistration).toHaveBeenCalledWith({
      identity: { civility: 'M.', lastName: 'Martin', firstName: 'Paul', jobTitle: 'Directeur', quartiersFertiles: false },
      organisation: { siren: LYON.siren },
      contact: { email: 'paul.martin@lyon.fr', phone: '04 72 10 30 30' },
      confirm: { termsAccepted: true },
    }, expect.any(String));
    expect(api.submitRegistration).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('Demande enregistrée — en attente de validation');
    expect(wrapper.text()).toContain('La demande est soumise à l\'approbation de l\'ANRU.');
    expect(sessionStorage.getItem(PHONE_DRAFT_STORAGE_KEY)).toBeNull();

    await wrapper.findAll('button').find((b) => b.text() === 'Nouvelle inscription')?.trigger('click');
    await flushPromises();

    expect(store.outcome).toBeNull();
    expect(store.draft.step).toBe(1);
    expect((wrapper.get('#lastName').element as HTMLInputElement).value).toBe('');
  });

  it('takes the agent back to the step the service refused, with its message', async () => {
    vi.mocked(staffApi.submitPhoneRegistration).mockRejectedValue(
      failure(400, {
        error: 'validation_failed',
        message: 'L\'adresse e-mail n\'est pas valide.',
        fields: { 'contact.email': 'L\'adresse e-mail n\'est pas valide.' },
      }),
    );
    const { wrapper, store } = await atLastStep();

    await wrapper.get('#phone-terms-accepted').setValue(true);
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(store.draft.step).toBe(3);
    expect(wrapper.get('#email-messages').text()).toBe('L\'adresse e-mail n\'est pas valide.');
    expect(wrapper.text()).toContain('La demande n\'a pas pu être enregistrée');
  });

  it('lets the agent go on with a valid SIREN outside the directory, and sends the organisation as the caller names it', async () => {
    vi.mocked(api.searchDirectory).mockImplementation(async (q) =>
      q === '356000000'
        ? { query: q, page: 1, pageSize: 10, total: 0, totalCapped: false, exact: true, results: [], notInDirectory: { siren: '356000000' } }
        : { query: q, page: 1, pageSize: 10, total: 0, totalCapped: false, exact: false, results: [] },
    );
    vi.mocked(staffApi.submitPhoneRegistration).mockResolvedValue({ outcome: 'pending_approval', message: "La demande est soumise à l'approbation de l'ANRU." });
    const { wrapper } = await mountStaffApp('/personnel/telephone', 'agent');
    const store = usePhoneRegistrationStore();
    Object.assign(store.draft.identity, { civility: 'M.', lastName: 'Martin', firstName: 'Paul', jobTitle: 'Directeur', quartiersFertiles: false });
    Object.assign(store.draft.contact, { email: 'paul.martin@laposte.fr', phone: '01 55 44 00 00' });
    store.draft.step = 2;
    await flushPromises();

    await wrapper.get('#organisation-search').setValue('la poste du coin');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await settle();
    expect(wrapper.get('#organisation-search-status').text()).toBe(
      'Aucun organisme ne correspond à votre recherche. Demandez à la personne le SIREN de son organisme : les 9 premiers chiffres de son SIRET.',
    );

    await wrapper.get('#organisation-search').setValue('356000000');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await settle();
    await wrapper.get('#off-directory-name').setValue('La Poste');
    await wrapper.get('#off-directory-commune').setValue('Paris');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(store.draft.step).toBe(3);

    store.draft.step = 4;
    await flushPromises();
    await wrapper.get('#phone-terms-accepted').setValue(true);
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(vi.mocked(staffApi.submitPhoneRegistration).mock.calls[0]![0].organisation).toEqual({
      siren: '356000000',
      offDirectory: { name: 'La Poste', commune: 'Paris' },
    });
  });
});
