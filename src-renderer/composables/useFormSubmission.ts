import type { FormContext, GenericObject } from 'vee-validate';
import { ref } from 'vue';
import { catchApiFailure, type ApiFailure } from '../services/http.js';
import { focusFirstInvalid } from './focus.js';

export interface SubmissionOptions {
  /** The service's general message is shown only when none of the form's fields got a message of its own. */
  fieldMessagesFirst?: boolean;
  /**
   * Sees each refusal first, for one the form answers otherwise (a link found expired meanwhile, say):
   * true once it has dealt with it, and the form then shows nothing of it.
   */
  intercept?: (failure: ApiFailure) => boolean;
}

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
  options: SubmissionOptions = {},
) {
  const failureMessage = ref('');
  const form = ref<HTMLFormElement | null>(null);

  async function refused(failure: ApiFailure): Promise<void> {
    if (options.intercept?.(failure)) return;
    const given = failure.body.fields ?? {};
    const forFields = fields.map((field) => [field, given[field]] as const);
    if (!options.fieldMessagesFirst || forFields.every(([, message]) => !message)) failureMessage.value = failure.body.message;
    setErrors(Object.fromEntries(forFields) as Parameters<typeof setErrors>[0]);
    await focusFirstInvalid(form.value);
  }

  const onSubmit = handleSubmit(
    async (values) => {
      failureMessage.value = '';
      await catchApiFailure(send(values), refused);
    },
    () => focusFirstInvalid(form.value),
  );
  return { failureMessage, form, onSubmit };
}
