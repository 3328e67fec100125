import { defineStore } from 'pinia';
import { ref } from 'vue';
import { serviceConnection, type ServiceConnection, type ServiceMode } from '../platform/index.js';
import { getHealth } from '../services/api.js';
import { catchApiFailure } from '../services/http.js';
import { onServiceUnreachable } from '../services/reachability.js';

/** "connecting" until the service first answers, or until it has had time to: then "offline". */
export type ServiceState = 'connecting' | 'online' | 'offline';

// How long a service may take to answer at start before the screen gives up
// waiting: the bundled service migrates and seeds its database on first start.
const CONNECT_GRACE_MS: Record<ServiceMode, number> = { local: 90_000, central: 10_000, web: 5_000 };
const POLL_MS: Record<ServiceState, number> = { connecting: 500, online: 10_000, offline: 3_000 };

/** The service's state, kept by polling GET /api/health and by every call that fails to reach it. */
export const useServiceStatusStore = defineStore('service-status', () => {
  const state = ref<ServiceState>('connecting');
  const connection = ref<ServiceConnection | null>(null);
  /** Time of the last health check that got an answer: each one is a chance to send what is kept. */
  const lastAnsweredAt = ref(0);
  let startedAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopListening: (() => void) | null = null;

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), POLL_MS[state.value]);
  }

  async function check(): Promise<void> {
    try {
      await catchApiFailure(
        getHealth().then(() => {
          state.value = 'online';
          lastAnsweredAt.value = Date.now();
        }),
        () => {
          const grace = CONNECT_GRACE_MS[connection.value?.mode ?? 'web'];
          if (state.value !== 'connecting' || Date.now() - startedAt >= grace) state.value = 'offline';
        },
      );
    } finally {
      if (stopListening) schedule();
    }
  }

  async function start(): Promise<void> {
    if (stopListening) return;
    startedAt = Date.now();
    stopListening = onServiceUnreachable(() => {
      if (state.value !== 'online') return;
      state.value = 'offline';
      schedule();
    });
    connection.value = await serviceConnection();
    await check();
  }

  function stop(): void {
    clearTimeout(timer);
    stopListening?.();
    stopListening = null;
  }

  return { state, connection, lastAnsweredAt, start, stop, check };
});
