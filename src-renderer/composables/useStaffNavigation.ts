import { computed } from 'vue';
import { useRouter, type RouteRecordNormalized } from 'vue-router';
import { useSessionStore } from '../stores/session.js';

export interface StaffNavEntry {
  name: string;
  label: string;
  description: string;
}

function entryOf(route: RouteRecordNormalized): StaffNavEntry | null {
  return typeof route.name === 'string' && route.meta.nav ? { name: route.name, ...route.meta.nav } : null;
}

/** The staff pages the signed-in person may open, in the routes' order: the routes' own roles decide. */
export function useStaffNavigation() {
  const router = useRouter();
  const session = useSessionStore();
  return computed<StaffNavEntry[]>(() => {
    if (!session.staffRole) return [];
    return router
      .getRoutes()
      .filter((route) => !route.meta.roles || session.hasRole(route.meta.roles))
      .map(entryOf)
      .filter((entry): entry is StaffNavEntry => entry !== null);
  });
}
