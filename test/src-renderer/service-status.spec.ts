import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../src-renderer/services/api.js';
import { notifyServiceUnreachable } from '../../src-renderer/services/reachability.js';
import { useServiceStatusStore } from '../../src-renderer/stores/service-status.js';
import { failure, freshPinia } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');

const DOWN = failure(0, { error: 'service_unreachable', message: 'Le service est momentanément injoignable.' });
const HEALTHY = { status: 'ok' as const, version: '0.1.0', database: 'sqlite' as const };

let store: ReturnType<typeof useServiceStatusStore>;
beforeEach(() => {
  vi.useFakeTimers();
  freshPinia();
  store = useServiceStatusStore();
});
afterEach(() => {
  store.stop();
  vi.useRealTimers();
});

async function pass(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await flushPromises();
}

describe('service status', () => {
  it('waits for the service while it starts, then says it is online', async () => {
    vi.mocked(api.getHealth).mockRejectedValueOnce(DOWN).mockRejectedValueOnce(DOWN).mockResolvedValue(HEALTHY);
    await store.start();
    expect(store.state).toBe('connecting');
    expect(store.connection).toEqual({ mode: 'web', serviceUrl: window.location.origin });
    await pass(1_000);
    expect(store.state).toBe('online');
    expect(store.lastAnsweredAt).toBeGreaterThan(0);
  });

  it('says offline once the service has had time to start and has not answered', async () => {
    vi.mocked(api.getHealth).mockRejectedValue(DOWN);
    await store.start();
    await pass(4_000);
    expect(store.state).toBe('connecting');
    await pass(1_500);
    expect(store.state).toBe('offline');
  });

  it('goes offline at once when a call fails to reach the service, and back online with the next answer', async () => {
    vi.mocked(api.getHealth).mockResolvedValue(HEALTHY);
    await store.start();
    expect(store.state).toBe('online');

    notifyServiceUnreachable();
    expect(store.state).toBe('offline');
    await pass(3_000);
    expect(store.state).toBe('online');
  });
});
