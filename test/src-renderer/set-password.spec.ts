import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import SetPasswordForm from '../../src-renderer/components/SetPasswordForm.vue';
import * as api from '../../src-renderer/services/api.js';
import { failure, settle } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');

function mountForm() {
  return mount(SetPasswordForm, { props: { token: 'tok-123', email: 'marie.dupont@lyon.fr' }, attachTo: document.body });
}

function metRules(wrapper: ReturnType<typeof mountForm>): string[] {
  return wrapper.findAll('[data-rule]').filter((rule) => rule.attributes('data-met') === 'true').map((rule) => rule.attributes('data-rule') ?? '');
}

describe('set-password form', () => {
  it('ticks each rule of the policy as the password is typed', async () => {
    const wrapper = mountForm();
    const password = wrapper.get('#password');
    expect(password.attributes('aria-describedby')).toContain('password-rules');
    expect(wrapper.get('#password-rules').attributes('aria-live')).toBe('polite');

    await password.setValue('abc');
    expect(metRules(wrapper)).toEqual(['lower']);
    await password.setValue('abcD');
    expect(metRules(wrapper)).toEqual(['upper', 'lower']);
    await password.setValue('abcDefgh1');
    expect(metRules(wrapper)).toEqual(['length', 'digit', 'upper', 'lower']);
    expect(wrapper.get('[data-rule="length"]').text()).toContain('respecté');
  });

  it('reports two different entries and sends nothing', async () => {
    const wrapper = mountForm();
    await wrapper.get('#password').setValue('abcDefgh1');
    await wrapper.get('#confirmation').setValue('abcDefgh2');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.get('#confirmation-messages').text()).toBe(
      'Les deux mots de passe saisis ne sont pas identiques. Recommencez la saisie.',
    );
    expect(api.setPassword).not.toHaveBeenCalled();
  });

  it('sends the hidden token with the password and shows the service\'s refusal under the field', async () => {
    vi.mocked(api.setPassword).mockRejectedValue(
      failure(400, {
        error: 'validation_failed',
        message: 'Ce mot de passe est trop courant.',
        fields: { password: 'Ce mot de passe est trop courant : choisissez-en un autre.' },
      }),
    );
    const wrapper = mountForm();
    await wrapper.get('#password').setValue('Azerty123');
    await wrapper.get('#confirmation').setValue('Azerty123');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(api.setPassword).toHaveBeenCalledWith({ token: 'tok-123', password: 'Azerty123', confirmation: 'Azerty123' });
    expect(wrapper.get('#password-messages').text()).toBe('Ce mot de passe est trop courant : choisissez-en un autre.');
  });

  it('tells the page when the link is refused while the form is open', async () => {
    vi.mocked(api.setPassword).mockRejectedValue(failure(410, { error: 'token_expired', message: 'Ce lien a expiré.' }));
    const wrapper = mountForm();
    await wrapper.get('#password').setValue('abcDefgh1');
    await wrapper.get('#confirmation').setValue('abcDefgh1');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.emitted('linkRefused')).toEqual([['token_expired']]);
  });
});
