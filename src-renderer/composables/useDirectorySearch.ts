import { nextTick, onScopeDispose, reactive, ref, watch } from 'vue';
import type { DirectorySearchResponse } from '../../common/api/contracts.js';
import { identifierErrorMessage, identifierLengthMessage, parseIdentifier } from '../../common/identifiers/siren.js';
import { searchDirectory, type DirectoryFilters } from '../services/api.js';
import { apiFailure, isUnreachable } from '../services/http.js';

export const MIN_QUERY_LENGTH = 2;
const SEARCH_DEBOUNCE_MS = 250;

/**
 * Search-as-you-type over the organisation directory: waits for a pause in typing, and aborts the request of
 * an older query so that a slow answer never replaces the results of what is typed now.
 */
export function useDirectorySearch(initialQuery = '', initialPage = 1) {
  const query = ref(initialQuery);
  const page = ref(initialPage);
  const response = ref<DirectorySearchResponse | null>(null);
  const loading = ref(false);
  /** Narrows word searches; a change searches again from the first page. */
  const filters = reactive<DirectoryFilters>({ departement: '', publicOnly: false });
  /** French message for the search field: a bad SIREN/SIRET checksum or length, or the service's refusal. */
  const error = ref('');
  /** The last search could not reach the service (as opposed to a refusal). */
  const unreachable = ref(false);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;

  function stop(): void {
    clearTimeout(timer);
    controller?.abort();
    controller = undefined;
  }

  async function run(): Promise<void> {
    stop();
    const q = query.value.trim();
    error.value = '';
    unreachable.value = false;
    if (q.length < MIN_QUERY_LENGTH) {
      response.value = null;
      loading.value = false;
      return;
    }
    // The checksum is known here: no need to ask the service to refuse a mistyped SIREN or SIRET.
    const identifier = parseIdentifier(q);
    const refusal = identifier && !identifier.valid ? identifierErrorMessage(identifier) : identifierLengthMessage(q);
    if (refusal) {
      response.value = null;
      loading.value = false;
      error.value = refusal;
      return;
    }
    const own = new AbortController();
    controller = own;
    loading.value = true;
    try {
      response.value = await searchDirectory(q, page.value, own.signal, { ...filters });
    } catch (failure) {
      if (own.signal.aborted) return;
      const api = apiFailure(failure);
      if (!api) throw failure;
      response.value = null;
      error.value = api.body.fields?.q ?? api.body.message;
      unreachable.value = isUnreachable(api);
    } finally {
      if (controller === own) {
        loading.value = false;
        controller = undefined;
      }
    }
  }

  watch(query, () => {
    stop();
    page.value = 1;
    timer = setTimeout(() => void run(), SEARCH_DEBOUNCE_MS);
  });

  /** Searches at once (Enter in the field), skipping the pause. */
  function searchNow(): Promise<void> {
    page.value = 1;
    return run();
  }

  watch(filters, () => void searchNow());

  /** Searches for a suggested spelling at once (« Vouliez-vous dire… »). */
  async function searchFor(suggestion: string): Promise<void> {
    query.value = suggestion;
    // The query's watcher runs first, so that searching now cancels its pause.
    await nextTick();
    return searchNow();
  }

  function goToPage(target: number): Promise<void> {
    page.value = target;
    return run();
  }

  onScopeDispose(stop);

  return { query, page, filters, response, loading, error, unreachable, run, searchNow, searchFor, goToPage };
}
