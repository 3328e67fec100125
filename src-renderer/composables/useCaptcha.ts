import { computed, ref } from 'vue';
import type { CaptchaChallenge } from '../../common/api/contracts.js';
import { createCaptcha } from '../services/api.js';
import { useApiCall } from './useApiCall.js';

/** The image challenge of the last wizard step; each refresh replaces the previous one, whatever their order of arrival. */
export function useCaptcha() {
  const challenge = ref<CaptchaChallenge | null>(null);
  const { busy: loading, failureMessage: error, run } = useApiCall({ latestOnly: true });

  async function refresh(): Promise<void> {
    const next = await run(createCaptcha, () => (challenge.value = null));
    if (next) challenge.value = next;
  }

  // Only a PNG reaches the <img>: whatever else an altered answer carried is not shown.
  const imageSrc = computed(() => (challenge.value?.image.startsWith('data:image/png;base64,') ? challenge.value.image : ''));

  return { challenge, loading, error, imageSrc, refresh };
}
