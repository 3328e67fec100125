import { describe, expect, it, vi } from 'vitest';
import ConfirmStep from '../../src-renderer/pages/registration/ConfirmStep.vue';
import * as api from '../../src-renderer/services/api.js';
import * as worker from '../../src-renderer/services/proof-of-work.js';
import { useRegistrationStore } from '../../src-renderer/stores/registration.js';
import { failure, freshPinia, mountWithApp, settle } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');
// happy-dom runs no Web Worker: the worker's answer is given here.
vi.mock('../../src-renderer/services/proof-of-work.js', async (original) => ({
  ...(await original<typeof worker>()),
  solveProofOfWork: vi.fn(),
}));

/** The n-th challenge the service issues in a test. */
function challenge(n: number) {
  return {
    parameters: { algorithm: 'PBKDF2/SHA-256', nonce: 'aa', salt: `salt${n}`, cost: 5000, keyLength: 32, keyPrefix: '00', expiresAt: 4_000_000_000 },
    signature: `signature${n}`,
  };
}

function completeDraft(): void {
  freshPinia();
  const store = useRegistrationStore();
  Object.assign(store.draft.identity, { civility: 'M.', lastName: 'Martin', firstName: 'Paul', jobTitle: 'Directeur' });
  Object.assign(store.draft.organisation, { siren: '216901231' });
  Object.assign(store.draft.contact, { email: 'paul.martin@lyon.fr', phone: '0472103030' });
  store.draft.step = 4;
}

function decoded(payload: string) {
  return JSON.parse(atob(payload)) as { challenge: { signature: string }; solution: { counter: number; derivedKey: string } };
}

async function mountConfirmStep() {
  vi.mocked(api.createCaptcha).mockResolvedValue({ id: 'image-1', image: 'data:image/png;base64,iVBORw0KGgo=', expiresAt: '2099-01-01T00:00:00Z' });
  let issued = 0;
  vi.mocked(api.createProofOfWork).mockImplementation(async () => challenge(++issued));
  completeDraft();
  return (await mountWithApp(ConfirmStep)).wrapper;
}

function button(wrapper: Awaited<ReturnType<typeof mountConfirmStep>>, text: string) {
  const found = wrapper.findAll('button').find((b) => b.text() === text);
  if (!found) throw new Error(`no button « ${text} »`);
  return found;
}

describe('the alternative to the captcha image', () => {
  it('names the phone channel on the step, whichever check is shown', async () => {
    const wrapper = await mountConfirmStep();
    const phone = 'Vous pouvez aussi appeler le guichet au 01 53 63 55 00 : un agent enregistrera votre demande.';
    expect(wrapper.text()).toContain(phone);
    vi.mocked(worker.solveProofOfWork).mockReturnValue(new Promise(() => {}));
    await button(wrapper, 'Je ne peux pas lire l\'image').trigger('click');
    await settle();
    expect(wrapper.text()).toContain(phone);
  });

  it('explains what happens, announces its progress, and sends the proof of work instead of the image', async () => {
    const wrapper = await mountConfirmStep();
    let solve: (solution: { counter: number; derivedKey: string }) => void = () => {};
    vi.mocked(worker.solveProofOfWork).mockReturnValue(new Promise((resolve) => (solve = resolve)));
    vi.mocked(api.submitRegistration).mockResolvedValue({ outcome: 'invitation_sent', message: 'Un e-mail vous a été adressé.' });

    await button(wrapper, 'Je ne peux pas lire l\'image').trigger('click');
    await settle();
    const explanation = wrapper.get('[data-testid="proof-of-work-explanation"]');
    expect(explanation.text()).toMatch(/^Votre ordinateur va effectuer une courte vérification automatique, sans rien vous demander/);
    expect(document.activeElement).toBe(explanation.element);
    expect(wrapper.find('[data-testid="captcha-image"]').exists()).toBe(false);
    const status = wrapper.get('[data-testid="proof-of-work-status"]');
    expect(status.attributes('role')).toBe('status');
    expect(status.attributes('aria-live')).toBe('polite');
    expect(status.text()).toBe('Vérification en cours…');

    // Confirming before the work ends sends the request once it has.
    await wrapper.get('#termsAccepted').setValue(true);
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('button[type="submit"]').text()).toBe('Envoi en cours…');
    expect(api.submitRegistration).not.toHaveBeenCalled();

    solve({ counter: 1234, derivedKey: 'ab'.repeat(32) });
    await settle();
    expect(status.text()).toBe('Vérification terminée : vous pouvez confirmer votre demande.');
    expect(api.submitRegistration).toHaveBeenCalledTimes(1);
    const { confirm } = vi.mocked(api.submitRegistration).mock.calls[0]![0];
    expect(Object.entries(confirm).filter(([, v]) => v !== undefined).map(([k]) => k).sort()).toEqual(['proofOfWork', 'termsAccepted']);
    expect(decoded(confirm.proofOfWork!)).toEqual({ challenge: challenge(1), solution: { counter: 1234, derivedKey: 'ab'.repeat(32) } });
  });

  it('starts a new proof of work when the service refuses one, and shows why', async () => {
    const wrapper = await mountConfirmStep();
    vi.mocked(worker.solveProofOfWork).mockResolvedValue({ counter: 7, derivedKey: 'cd'.repeat(32) });
    const used = 'Cette vérification automatique a déjà servi pour une demande. Une nouvelle vérification est lancée : confirmez de nouveau quand elle est terminée.';
    vi.mocked(api.submitRegistration).mockRejectedValueOnce(failure(400, { error: 'proof_of_work_used', message: used, fields: { 'confirm.proofOfWork': used } }));
    await button(wrapper, 'Je ne peux pas lire l\'image').trigger('click');
    await settle();
    await wrapper.get('#termsAccepted').setValue(true);
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(api.createProofOfWork).toHaveBeenCalledTimes(2);
    expect(wrapper.text()).toContain(used);
    expect(wrapper.get('[data-testid="proof-of-work-status"]').text()).toBe('Vérification terminée : vous pouvez confirmer votre demande.');

    vi.mocked(api.submitRegistration).mockResolvedValue({ outcome: 'invitation_sent', message: 'Un e-mail vous a été adressé.' });
    await wrapper.get('form').trigger('submit');
    await settle();
    const second = vi.mocked(api.submitRegistration).mock.calls[1]![0].confirm.proofOfWork!;
    expect(decoded(second).challenge.signature).not.toBe(decoded(vi.mocked(api.submitRegistration).mock.calls[0]![0].confirm.proofOfWork!).challenge.signature);
  });

  it('says so when the work cannot be done here, offers to run it again, and goes back to the image', async () => {
    const wrapper = await mountConfirmStep();
    vi.mocked(worker.solveProofOfWork).mockRejectedValueOnce(new Error('no worker'));
    await button(wrapper, 'Je ne peux pas lire l\'image').trigger('click');
    await settle();
    expect(wrapper.get('[role="alert"]').text()).toMatch(/n'a pas abouti sur cet ordinateur/);

    vi.mocked(worker.solveProofOfWork).mockResolvedValue({ counter: 7, derivedKey: 'cd'.repeat(32) });
    await button(wrapper, 'Relancer la vérification').trigger('click');
    await settle();
    expect(wrapper.get('[data-testid="proof-of-work-status"]').text()).toMatch(/^Vérification terminée/);

    await button(wrapper, 'Revenir à l\'image').trigger('click');
    await settle();
    expect(wrapper.find('[data-testid="captcha-image"]').exists()).toBe(true);
    expect(document.activeElement?.id).toBe('captchaAnswer');
    vi.mocked(api.submitRegistration).mockResolvedValue({ outcome: 'invitation_sent', message: 'Un e-mail vous a été adressé.' });
    await wrapper.get('#captchaAnswer').setValue('Xy7kPq');
    await wrapper.get('#termsAccepted').setValue(true);
    await wrapper.get('form').trigger('submit');
    await settle();
    const { confirm } = vi.mocked(api.submitRegistration).mock.calls[0]![0];
    expect(confirm).toMatchObject({ captchaId: 'image-1', captchaAnswer: 'Xy7kPq', termsAccepted: true });
    expect(confirm.proofOfWork).toBeUndefined();
  });
});

