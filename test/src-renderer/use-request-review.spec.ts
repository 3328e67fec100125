import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computed, defineComponent, h, ref } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { RequestDetail } from '../../common/api/staff.js';
import { useRequestReview } from '../../src-renderer/composables/useRequestReview.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { failure, freshPinia } from './helpers.js';
import { requestDetail } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

/** A page holding one request at a time, as the request page does, opened by an approver. */
async function review(firstId: string) {
  const pinia = freshPinia();
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)*', component: { render: () => null } }] });
  const requestId = ref(firstId);
  let state!: ReturnType<typeof useRequestReview>;
  const Host = defineComponent({
    setup() {
      state = useRequestReview(requestId, computed(() => true));
      return () => h('p', state.detail.value?.id ?? '');
    },
  });
  const wrapper = mount(Host, { global: { plugins: [pinia, router] } });
  return { wrapper, requestId, state: () => state };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('reviewing a request', () => {
  it('keeps only the last of several requests opened in a row claimed, whatever order the claims come back in', async () => {
    const claims = new Map<string, ReturnType<typeof deferred<RequestDetail>>>();
    vi.mocked(staffApi.claimRequest).mockImplementation((id) => {
      const claim = deferred<RequestDetail>();
      claims.set(id, claim);
      return claim.promise;
    });
    vi.mocked(staffApi.releaseClaim).mockResolvedValue();
    const { wrapper, requestId } = await review('r1');
    requestId.value = 'r2';
    await flushPromises();
    requestId.value = 'r3';
    await flushPromises();

    claims.get('r3')!.resolve(requestDetail('r3'));
    claims.get('r1')!.resolve(requestDetail('r1'));
    claims.get('r2')!.resolve(requestDetail('r2'));
    await flushPromises();

    expect(wrapper.text()).toBe('r3');
    expect(vi.mocked(staffApi.releaseClaim).mock.calls.map(([id]) => id).sort()).toEqual(['r1', 'r2']);
  });

  it('shows a request another approver holds read-only, with their reason, and keeps no claim to release', async () => {
    vi.mocked(staffApi.claimRequest).mockRejectedValue(
      failure(409, { error: 'claimed_by_other', message: 'Cette demande est en cours d\'examen par Paul Martin.' }),
    );
    vi.mocked(staffApi.getRequest).mockResolvedValue(requestDetail('r1', { claimedByMe: false }));
    const { wrapper, state } = await review('r1');
    await flushPromises();

    expect(state().readOnlyReason.value).toBe('Cette demande est en cours d\'examen par Paul Martin.');
    expect(state().canDecide.value).toBe(false);
    wrapper.unmount();
    expect(staffApi.releaseClaim).not.toHaveBeenCalled();
  });
});
