import { describe, expect, it, vi } from 'vitest';
import ConfirmStep from '../../src-renderer/pages/registration/ConfirmStep.vue';
import * as api from '../../src-renderer/services/api.js';
import { DRAFT_STORAGE_KEY, useRegistrationStore } from '../../src-renderer/stores/registration.js';
import { failure, freshPinia, mountWithApp, settle } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');

let challenges = 0;
function nextChallenge() {
  challenges += 1;
  return { id: `challenge-${challenges}`, image: `data:image/png;base64,iVBORw0KGgo${challenges}`, expiresAt: '2099-01-01T00:00:00Z' };
}

function completeDraft(): void {
  freshPinia();
  const store = useRegistrationStore();
  Object.assign(store.draft.identity, { civility: 'M.', lastName: 'Martin', firstName: 'Paul', jobTitle: 'Directeur' });
  Object.assign(store.draft.organisation, { siren: '216901231' });
  Object.assign(store.draft.contact, { email: 'paul.martin@lyon.fr', phone: '0472103030' });
  store.draft.step = 4;
}

describe('confirm step', () => {
  it('keeps the captcha answer out of storage and asks for a new image when the service refuses it', async () => {
    vi.mocked(api.createCaptcha).mockImplementation(async () => nextChallenge());
    vi.mocked(api.submitRegistration).mockRejectedValue(
      failure(400, {
        error: 'validation_failed',
        message: 'Les caractères saisis ne correspondent pas à l\'image.',
        fields: { 'confirm.captchaAnswer': 'Les caractères saisis ne correspondent pas à l\'image.' },
      }),
    );
    completeDraft();
    const { wrapper } = await mountWithApp(ConfirmStep);
    const firstId = `challenge-${challenges}`;
    const image = wrapper.get('[data-testid="captcha-image"]');
    expect(image.attributes('src')).toBe(`data:image/png;base64,iVBORw0KGgo${challenges}`);
    expect(image.attributes('alt')).toBe('Image de sécurité : recopiez les caractères affichés');

    await wrapper.get('#captchaAnswer').setValue('Xy7kPq');
    await wrapper.get('#termsAccepted').setValue(true);
    expect(sessionStorage.getItem(DRAFT_STORAGE_KEY)).not.toContain('Xy7kPq');
    expect(JSON.parse(sessionStorage.getItem(DRAFT_STORAGE_KEY) ?? '{}').termsAccepted).toBe(true);

    await wrapper.get('form').trigger('submit');
    await settle();

    expect(api.submitRegistration).toHaveBeenCalledWith(
      expect.objectContaining({ confirm: { captchaId: firstId, captchaAnswer: 'Xy7kPq', termsAccepted: true } }),
      { idempotencyKey: expect.any(String) },
    );
    expect(api.createCaptcha).toHaveBeenCalledTimes(2);
    expect((wrapper.get('#captchaAnswer').element as HTMLInputElement).value).toBe('');
    expect(wrapper.get('#captchaAnswer-messages').text()).toBe('Les caractères saisis ne correspondent pas à l\'image.');
    expect(useRegistrationStore().draft.step).toBe(4);
  });

  it('shows that it is sending and opens the result page once the request is accepted', async () => {
    vi.mocked(api.createCaptcha).mockImplementation(async () => nextChallenge());
    let accept: (value: { outcome: 'pending_approval'; message: string }) => void = () => {};
    vi.mocked(api.submitRegistration).mockReturnValue(new Promise((resolve) => (accept = resolve)));
    completeDraft();
    const { wrapper, router } = await mountWithApp(ConfirmStep);

    await wrapper.get('#captchaAnswer').setValue('Xy7kPq');
    await wrapper.get('#termsAccepted').setValue(true);
    await wrapper.get('form').trigger('submit');
    await settle();

    const button = wrapper.get('button[type="submit"]');
    expect(button.text()).toBe('Envoi en cours…');
    expect(button.attributes('disabled')).toBeDefined();

    accept({ outcome: 'pending_approval', message: 'Votre demande est soumise à l\'approbation de l\'ANRU.' });
    await settle();

    expect(router.currentRoute.value.name).toBe('registration-result');
    expect(useRegistrationStore().outcome?.outcome).toBe('pending_approval');
    expect(sessionStorage.getItem(DRAFT_STORAGE_KEY)).toBeNull();
  });
});
