import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts a floor under a route's answer: the returned function resolves no
 * sooner than `floorMs` after this call. A public route whose work depends on
 * whether an address is known (a known address gets a notice, a new one a
 * whole account) would otherwise tell which it was by its speed; under the
 * floor both take the same time. The wait is a timer, not work: it costs
 * latency, not throughput.
 */
export function answerFloor(floorMs: number): () => Promise<void> {
  const started = performance.now();
  return async () => {
    const wait = floorMs - (performance.now() - started);
    if (wait > 0) await sleep(wait);
  };
}
