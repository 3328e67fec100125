import { computed, ref } from 'vue';
import type { CaptchaChallenge } from '../../common/api/contracts.js';
import { createCaptcha } from '../services/api.js';
import { apiFailure } from '../services/http.js';

/** The image challenge of the last wizard step; each refresh replaces the previous one, whatever their order of arrival. */
export function useCaptcha() {
  const challenge = ref<CaptchaChallenge | null>(null);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function refresh(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const next = await createCaptcha();
      if (ticket === latest) challenge.value = next;
    } catch (failure) {
      const api = apiFailure(failure);
      if (!api) throw failure;
      if (ticket === latest) {
        challenge.value = null;
        error.value = api.body.message;
      }
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  // Only a PNG reaches the <img>: whatever else an altered answer carried is not shown.
  const imageSrc = computed(() => (challenge.value?.image.startsWith('data:image/png;base64,') ? challenge.value.image : ''));

  return { challenge, loading, error, imageSrc, refresh };
}
