import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';
import type { ProofOfWorkChallenge } from '../../common/api/contracts.js';

// Off the page's thread, so that the page stays responsive and its status is
// announced while the keys are derived. PBKDF2 is WebCrypto's, native code.
self.onmessage = async (event: MessageEvent<ProofOfWorkChallenge>) => {
  const solution = await solveChallenge({ challenge: event.data, deriveKey }).catch(() => null);
  self.postMessage(solution);
};
