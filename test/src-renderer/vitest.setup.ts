import { afterEach } from 'vitest';

// Every test starts without a saved wizard draft.
afterEach(() => {
  sessionStorage.clear();
});
