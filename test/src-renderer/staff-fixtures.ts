import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, RouterView } from 'vue-router';
import type { SessionResponse } from '../../common/api/contracts.js';
import type { QueueItem, QueueResponse, RequestDetail } from '../../common/api/staff.js';
import type { Role } from '../../common/staff/roles.js';
import { createAppRouter } from '../../src-renderer/router.js';
import { useSessionStore } from '../../src-renderer/stores/session.js';
import { freshPinia } from './helpers.js';

export function session(role: Role): SessionResponse {
  return { email: `${role}@anru.fr`, firstName: 'Camille', lastName: 'Durand', civility: 'Mme', role };
}

export function queueItem(id: string, overrides: Partial<QueueItem> = {}): QueueItem {
  return {
    id,
    createdAt: '2026-03-02T09:00:00.000Z',
    ageSeconds: 3 * 86_400,
    status: 'pending',
    channel: 'web',
    firstName: 'Marie',
    lastName: `Dupont-${id}`,
    email: `marie.${id}@exemple.fr`,
    organisation: { siren: '216901231', name: 'Lyon', legalCategory: '7210', legalCategoryLabel: 'Commune et commune nouvelle', departement: '69' },
    offDirectory: false,
    claimedBy: null,
    claimedUntil: null,
    ...overrides,
  };
}

export function queueResponse(items: QueueItem[], overrides: Partial<QueueResponse> = {}): QueueResponse {
  return { page: 1, pageSize: 20, total: items.length, waiting: items.length, oldestWaitingSeconds: 3 * 86_400, items, ...overrides };
}

export function requestDetail(id: string, overrides: Partial<RequestDetail> = {}): RequestDetail {
  return {
    ...queueItem(id),
    civility: 'Mme',
    jobTitle: 'Cheffe de projet',
    phone: '+33472103030',
    quartiersFertiles: false,
    trusted: false,
    trustReason: 'Aucune règle du domaine de confiance ne couvre cet organisme.',
    enteredBy: null,
    decidedAt: null,
    decidedBy: null,
    rejection: null,
    directoryRecord: {
      siren: '216901231',
      name: 'Lyon',
      kind: 'Commune',
      legalCategory: '7210',
      legalCategoryLabel: 'Commune et commune nouvelle',
      town: 'Lyon',
      postcodes: ['69001', '69002'],
      departement: '69',
    },
    declaredCommune: null,
    related: [],
    duplicateFlag: false,
    history: [{ at: '2026-03-02T09:00:00.000Z', actor: 'applicant', actorName: 'Demandeur', action: 'submitted', label: 'Demande déposée', details: {} }],
    claimedByMe: true,
    enteredByMe: false,
    accountStatus: null,
    domainCheck: { domain: 'lyon.fr', freeMail: false, verifiedForOrganisation: false, verifiedForOthers: [] },
    ...overrides,
  };
}

/** The whole app's routing (guards included) around a bare <RouterView>, with someone signed in, or nobody. */
export async function mountStaffApp(path: string, role: Role | null) {
  const pinia = freshPinia();
  const store = useSessionStore();
  if (role) store.signedIn(session(role));
  else store.forget();
  const router = createAppRouter(createMemoryHistory());
  const Root = defineComponent({ render: () => h(RouterView) });
  const wrapper = mount(Root, { global: { plugins: [pinia, router] }, attachTo: document.body });
  await router.push(path);
  await flushPromises();
  return { wrapper, router, pinia };
}

export function pressKey(key: string, target: EventTarget = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}
