import { onScopeDispose, ref } from 'vue';
import { createProofOfWork } from '../services/api.js';
import { apiFailure } from '../services/http.js';
import { proofOfWorkPayload, solveProofOfWork } from '../services/proof-of-work.js';

export type ProofOfWorkState = 'idle' | 'working' | 'done' | 'failed';

export const PROOF_OF_WORK_FAILED =
  'La vérification automatique n\'a pas abouti sur cet ordinateur. Relancez-la, revenez à l\'image ou appelez le guichet.';

/** The proof of work offered instead of the image: one challenge at a time, the latest start replacing any earlier one. */
export function useProofOfWork() {
  const state = ref<ProofOfWorkState>('idle');
  /** What confirm.proofOfWork carries once the work is done. */
  const payload = ref<string | null>(null);
  const error = ref('');
  let controller: AbortController | null = null;
  let running: Promise<void> = Promise.resolve();

  function stop(): void {
    controller?.abort();
    controller = null;
    state.value = 'idle';
    payload.value = null;
    error.value = '';
  }

  async function work(signal: AbortSignal): Promise<void> {
    try {
      const challenge = await createProofOfWork();
      if (signal.aborted) return;
      const solution = await solveProofOfWork(challenge, signal);
      if (signal.aborted) return;
      if (!solution) throw new Error('unsolved');
      payload.value = proofOfWorkPayload(challenge, solution);
      state.value = 'done';
    } catch (failure) {
      if (signal.aborted) return;
      error.value = apiFailure(failure)?.body.message ?? PROOF_OF_WORK_FAILED;
      state.value = 'failed';
    }
  }

  /** Starts a new challenge; resolves when its work has ended, solved or not. */
  function start(): Promise<void> {
    stop();
    controller = new AbortController();
    state.value = 'working';
    running = work(controller.signal);
    return running;
  }

  onScopeDispose(stop);

  return { state, payload, error, start, stop, settled: () => running };
}
