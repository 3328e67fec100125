import type { FormContext, GenericObject } from 'vee-validate';
import { ref } from 'vue';
import { apiFailure } from '../services/http.js';
import { focusFirstInvalid } from './focus.js';

/**
 * Sends a form's valid values with `send`. When the service refuses them, its
 * French message goes to `failureMessage` and its messages for `fields` onto
 * those fields; either way a refused submission takes focus to the first
 * field in error. Anything but the service's answer is rethrown.
 */
export function useFormSubmission<TValues extends GenericObject, TOutput extends GenericObject>(
  { handleSubmit, setErrors }: Pick<FormContext<TValues, TOutput>, 'handleSubmit' | 'setErrors'>,
  fields: readonly (keyof TValues & string)[],
  send: (values: TOutput) => Promise<void>,
) {
  const failureMessage = ref('');
  const form = ref<HTMLFormElement | null>(null);
  const onSubmit = handleSubmit(
    async (values) => {
      failureMessage.value = '';
      try {
        await send(values);
      } catch (error) {
        const failure = apiFailure(error);
        if (!failure) throw error;
        failureMessage.value = failure.body.message;
        const given = failure.body.fields ?? {};
        setErrors(Object.fromEntries(fields.map((field) => [field, given[field]])) as Parameters<typeof setErrors>[0]);
        await focusFirstInvalid(form.value);
      }
    },
    () => focusFirstInvalid(form.value),
  );
  return { failureMessage, form, onSubmit };
}
