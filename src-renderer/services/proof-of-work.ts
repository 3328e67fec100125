import type { Solution } from 'altcha-lib';
import type { ProofOfWorkChallenge } from '../../common/api/contracts.js';

/**
 * Solves a challenge in a Web Worker; null when the worker gave up or was
 * stopped. The worker is a file of the app's own origin, built by Vite: the
 * content security policy's script-src 'self' lets it run, in a browser as in
 * the desktop app's guichet:// scheme.
 */
export function solveProofOfWork(challenge: ProofOfWorkChallenge, signal: AbortSignal): Promise<Solution | null> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./proof-of-work.worker.ts', import.meta.url), { type: 'module' });
    signal.addEventListener(
      'abort',
      () => {
        worker.terminate();
        resolve(null);
      },
      { once: true },
    );
    worker.onmessage = (event: MessageEvent<Solution | null>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage(challenge);
  });
}

/** What the service reads in confirm.proofOfWork: the challenge and its solution, as base64 of JSON (the ALTCHA widget's format). */
export function proofOfWorkPayload(challenge: ProofOfWorkChallenge, solution: Solution): string {
  return btoa(JSON.stringify({ challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } }));
}
