import { ref } from 'vue';
import { catchApiFailure, type ApiFailure } from '../services/http.js';

/**
 * A call to the service whose outcome the screen shows: `busy` while it runs, then the service's French
 * message in `failureMessage` when it refused the call or could not be reached. `run` resolves with the
 * call's value, or with undefined once the failure is shown and `refused` has done whatever else the screen
 * does about it. Anything but the service's answer (a bug) is thrown as it came.
 *
 * With `latestOnly`, calls that overlap (filters changed faster than the service answers) show only the
 * last one's outcome: the others resolve with undefined and change nothing.
 */
export function useApiCall(options: { latestOnly?: boolean } = {}) {
  const busy = ref(false);
  const failureMessage = ref('');
  let latest = 0;

  async function run<T>(call: () => Promise<T>, refused?: (failure: ApiFailure) => void): Promise<T | undefined> {
    const ticket = ++latest;
    const counts = (): boolean => !options.latestOnly || ticket === latest;
    busy.value = true;
    failureMessage.value = '';
    try {
      const value = await catchApiFailure(call(), (failure) => {
        if (!counts()) return undefined;
        failureMessage.value = failure.body.message;
        refused?.(failure);
        return undefined;
      });
      return counts() ? value : undefined;
    } finally {
      if (counts()) busy.value = false;
    }
  }

  return { busy, failureMessage, run };
}
