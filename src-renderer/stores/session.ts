import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SessionResponse } from '../../common/api/contracts.js';
import { ROLES, STAFF_ROLES, type Role, type StaffRole } from '../../common/staff/roles.js';
import { getSession, signOut, signOutEverywhere } from '../services/api.js';
import { catchApiFailure } from '../services/http.js';

function asRole(value: string | undefined): Role | null {
  return ROLES.find((role) => role === value) ?? null;
}

/** Who is signed in, asked of the service once and kept for the header, the guards and the pages. */
export const useSessionStore = defineStore('session', () => {
  const current = ref<SessionResponse | null>(null);
  const known = ref(false);
  /** Why the service could not say who is signed in (unreachable, say): not the same as nobody. */
  const loadError = ref('');
  let pending: Promise<void> | null = null;

  const role = computed(() => asRole(current.value?.role));
  const staffRole = computed<StaffRole | null>(() => STAFF_ROLES.find((r) => r === role.value) ?? null);

  /** Asks the service who is signed in. A 401 means nobody; another failure leaves the question open. */
  function refresh(): Promise<void> {
    pending ??= catchApiFailure(
      getSession().then((session) => {
        current.value = session;
        known.value = true;
        loadError.value = '';
      }),
      (failure) => {
        current.value = null;
        known.value = failure.status === 401;
        loadError.value = failure.status === 401 ? '' : failure.body.message;
      },
    ).finally(() => {
      pending = null;
    });
    return pending;
  }

  function ensureLoaded(): Promise<void> {
    return known.value ? Promise.resolve() : refresh();
  }

  function signedIn(session: SessionResponse): void {
    current.value = session;
    known.value = true;
    loadError.value = '';
  }

  function forget(): void {
    current.value = null;
    known.value = true;
  }

  async function signOutNow(): Promise<void> {
    await signOut();
    forget();
  }

  async function signOutEverywhereNow(): Promise<void> {
    await signOutEverywhere();
    // The desktop app lets go of the token it keeps (memory, keychain) on a sign-out only: the service has nothing left to end.
    await catchApiFailure(signOut(), () => undefined);
    forget();
  }

  function hasRole(roles: readonly Role[]): boolean {
    return role.value !== null && roles.includes(role.value);
  }

  return { current, known, loadError, role, staffRole, refresh, ensureLoaded, signedIn, forget, signOut: signOutNow, signOutEverywhere: signOutEverywhereNow, hasRole };
});
