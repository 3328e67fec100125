import { enableAutoUnmount, mount } from '@vue/test-utils';
import { toTypedSchema } from '@vee-validate/yup';
import { useForm } from 'vee-validate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { object, string } from 'yup';
import { useFormSubmission, type SubmissionOptions } from '../../src-renderer/composables/useFormSubmission.js';
import { failure, settle } from './helpers.js';

enableAutoUnmount(afterEach);

/** What the last mounted form's submission returns. */
let submitted: Promise<unknown> = Promise.resolve();

/** A one-field form whose submission is `send`; shows what the composable exposes. */
function formSending(send: (values: { name: string }) => Promise<void>, options?: SubmissionOptions) {
  return defineComponent({
    setup() {
      const context = useForm({ validationSchema: toTypedSchema(object({ name: string().required('Le nom est obligatoire.') })), initialValues: { name: 'Hall' } });
      const [name] = context.defineField('name');
      const { failureMessage, form, onSubmit } = useFormSubmission(context, ['name'], send, options);
      const submit = (e: Event) => {
        e.preventDefault();
        submitted = onSubmit();
      };
      return () =>
        h('form', { ref: form, novalidate: true, onSubmit: submit }, [
          h('p', { id: 'failure' }, failureMessage.value),
          h('input', {
            id: 'name',
            value: name.value,
            'aria-invalid': context.errors.value.name ? 'true' : undefined,
            onInput: (e: Event) => (name.value = (e.target as HTMLInputElement).value),
          }),
          h('span', { id: 'name-error' }, context.errors.value.name ?? ''),
          h('button', { type: 'submit' }, 'Envoyer'),
        ]);
    },
  });
}

describe('a form sent to the service', () => {
  it('shows the service’s message and its field message, and takes focus to that field', async () => {
    const message = "Une borne active s'appelle déjà « Hall »";
    const wrapper = mount(formSending(() => Promise.reject(failure(409, { error: 'kiosk_name_taken', message: 'Refusé.', fields: { name: message } }))), { attachTo: document.body });
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('#failure').text()).toBe('Refusé.');
    expect(wrapper.get('#name-error').text()).toBe(message);
    expect(document.activeElement?.id).toBe('name');
  });

  it('clears the previous refusal when a new submission goes through', async () => {
    const send = vi.fn().mockRejectedValueOnce(failure(400, { error: 'validation_failed', message: 'Refusé.' })).mockResolvedValueOnce(undefined);
    const wrapper = mount(formSending(send));
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('#failure').text()).toBe('Refusé.');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('#failure').text()).toBe('');
    expect(send).toHaveBeenLastCalledWith({ name: 'Hall' });
  });

  it('does not pass off a failure that is not the service’s answer as a refusal', async () => {
    const wrapper = mount(formSending(() => Promise.reject(new TypeError('bug'))));
    await wrapper.get('form').trigger('submit');
    await expect(submitted).rejects.toThrow('bug');
    expect(wrapper.get('#failure').text()).toBe('');
  });
});

describe('a form that words some refusals its own way', () => {
  it('shows the field\'s message alone when the service gave one, and the general message otherwise', async () => {
    const send = vi
      .fn()
      .mockRejectedValueOnce(failure(400, { error: 'validation_failed', message: 'Refusé.', fields: { name: 'Ce nom est trop long.' } }))
      .mockRejectedValueOnce(failure(503, { error: 'service_busy', message: 'Le service est occupé.' }));
    const wrapper = mount(formSending(send, { fieldMessagesFirst: true }));
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('#name-error').text()).toBe('Ce nom est trop long.');
    expect(wrapper.get('#failure').text()).toBe('');

    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('#failure').text()).toBe('Le service est occupé.');
  });

  it('leaves to the form a refusal it intercepts, and shows nothing of it', async () => {
    const intercepted: string[] = [];
    const send = () => Promise.reject(failure(410, { error: 'token_expired', message: 'Ce lien a expiré.', fields: { name: 'Jamais montré.' } }));
    const wrapper = mount(
      formSending(send, {
        intercept: (refusal) => {
          intercepted.push(refusal.body.error);
          return refusal.is('token_expired');
        },
      }),
    );
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(intercepted).toEqual(['token_expired']);
    expect(wrapper.get('#failure').text()).toBe('');
    expect(wrapper.get('#name-error').text()).toBe('');
  });
});
