import { watch } from 'vue';
import { useWizard } from './useWizard.js';

/**
 * Shows on a wizard step the field messages the service sent back for its section
 * ("contact.email" lands on the contact step's "email" field), once, when the step is displayed.
 */
export function useServerErrors(section: string, apply: (errors: Record<string, string>) => void): void {
  const { store } = useWizard();
  watch(
    () => store.serverErrors,
    () => {
      const errors = store.takeServerErrors(section);
      if (Object.keys(errors).length > 0) apply(errors);
    },
    { immediate: true },
  );
}
