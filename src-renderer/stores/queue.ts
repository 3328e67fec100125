import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { QueueItem, QueueResponse } from '../../common/api/staff.js';
import type { QueueStatus } from '../../common/staff/schemas.js';
import { useApiCall } from '../composables/useApiCall.js';
import { getQueue } from '../services/staff-api.js';

export interface QueueFilters {
  status: QueueStatus;
  departement: string;
  q: string;
}

/**
 * The approval queue as last shown: its filters, its page and its list. The request page walks this list
 * (next, previous, next after a decision), so it outlives the queue page.
 */
export const useQueueStore = defineStore('queue', () => {
  const filters = reactive<QueueFilters>({ status: 'pending', departement: '', q: '' });
  const page = ref(1);
  const response = ref<QueueResponse | null>(null);
  // Filters can change faster than the service answers: only the latest answer counts.
  const { busy: loading, failureMessage: error, run } = useApiCall({ latestOnly: true });
  /** The outcome of the last decision, for whichever page comes next to show once. */
  const notice = ref('');

  const items = computed<QueueItem[]>(() => response.value?.items ?? []);

  async function load(): Promise<void> {
    const answer = await run(() => getQueue({ ...filters, page: page.value }));
    if (answer) response.value = answer;
  }

  function applyFilters(next: QueueFilters): Promise<void> {
    Object.assign(filters, next);
    page.value = 1;
    return load();
  }

  function goToPage(target: number): Promise<void> {
    page.value = target;
    return load();
  }

  /** The request before (-1) or after (+1) this one in the list shown, if it is in it. */
  function neighbour(id: string, offset: 1 | -1): QueueItem | null {
    const index = items.value.findIndex((item) => item.id === id);
    return index === -1 ? null : (items.value[index + offset] ?? null);
  }

  /** A decided request leaves the list at once, so that "next" and "previous" skip it. */
  function forget(id: string): void {
    if (!response.value) return;
    response.value = { ...response.value, items: response.value.items.filter((item) => item.id !== id) };
  }

  function takeNotice(): string {
    const taken = notice.value;
    notice.value = '';
    return taken;
  }

  return { filters, page, response, items, loading, error, notice, load, applyFilters, goToPage, neighbour, forget, takeNotice };
});
