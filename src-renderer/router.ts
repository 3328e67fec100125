import { nextTick } from 'vue';
import { createRouter, createWebHashHistory, type Router, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import { ADMINS, APPROVERS, DESK_STAFF, type Role } from '../common/staff/roles.js';
import { focusElement } from './composables/focus.js';
import AccountPage from './pages/AccountPage.vue';
import HomePage from './pages/HomePage.vue';
import NewLinkPage from './pages/NewLinkPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import RegistrationPage from './pages/RegistrationPage.vue';
import RegistrationResultPage from './pages/RegistrationResultPage.vue';
import SetPasswordPage from './pages/SetPasswordPage.vue';
import SettingsPage from './pages/SettingsPage.vue';
import SignInPage from './pages/SignInPage.vue';
import TermsPage from './pages/TermsPage.vue';
import AdministrationPage from './pages/staff/AdministrationPage.vue';
import KiosksPage from './pages/staff/KiosksPage.vue';
import PhoneRegistrationPage from './pages/staff/PhoneRegistrationPage.vue';
import QueuePage from './pages/staff/QueuePage.vue';
import RequestPage from './pages/staff/RequestPage.vue';
import SearchPage from './pages/staff/SearchPage.vue';
import StaffHomePage from './pages/staff/StaffHomePage.vue';
import StaffLayout from './pages/staff/StaffLayout.vue';
import TrustDomainPage from './pages/staff/TrustDomainPage.vue';
import { isDesktopDesk, isKiosk } from './platform/index.js';
import { onSessionExpired } from './services/session-expiry.js';
import { useRegistrationStore } from './stores/registration.js';
import { useSessionStore } from './stores/session.js';

declare module 'vue-router' {
  interface RouteMeta {
    title: string;
    /** Who may open the page; anonymous visitors are sent to sign in, others are told they have no access. */
    roles?: readonly Role[];
    /** Entry of the staff navigation (header and staff home), with what it is for. */
    nav?: { label: string; description: string };
  }
}

const SITE = 'ANRUSCOPE';

/** All a kiosk shows: the applicant's wizard, its outcome and the terms it links to. */
export const KIOSK_ROUTES: readonly string[] = ['home', 'registration', 'registration-result', 'terms'];

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomePage, meta: { title: 'Créer son compte utilisateur ANRU' } },
  { path: '/inscription', name: 'registration', component: RegistrationPage, meta: { title: 'Créer son compte' } },
  {
    path: '/inscription/resultat',
    name: 'registration-result',
    component: RegistrationResultPage,
    meta: { title: 'Demande enregistrée' },
    // The outcome only exists in memory after a submission: a reload or a bookmark lands home.
    beforeEnter: () => (useRegistrationStore().outcome ? true : { name: 'home' }),
  },
  { path: '/mot-de-passe', name: 'set-password', component: SetPasswordPage, meta: { title: 'La détermination de votre mot de passe' } },
  { path: '/mot-de-passe/nouveau-lien', name: 'new-link', component: NewLinkPage, meta: { title: 'Recevoir un nouveau lien' } },
  { path: '/connexion', name: 'sign-in', component: SignInPage, meta: { title: 'Portail d\'authentification' } },
  { path: '/compte', name: 'account', component: AccountPage, meta: { title: 'Mon espace' } },
  { path: '/conditions-generales', name: 'terms', component: TermsPage, meta: { title: 'Conditions générales d\'utilisation' } },
  {
    path: '/parametres',
    name: 'settings',
    component: SettingsPage,
    meta: { title: 'Paramètres du poste' },
    // Only the desktop app at a desk has settings: in a browser or on a kiosk, the address leads nowhere.
    beforeEnter: () => (isDesktopDesk() ? true : { name: 'not-found', params: { pathMatch: ['parametres'] } }),
  },
  {
    path: '/personnel',
    component: StaffLayout,
    meta: { title: 'Espace personnel', roles: DESK_STAFF },
    children: [
      { path: '', name: 'staff-home', component: StaffHomePage, meta: { title: 'Espace personnel' } },
      {
        path: 'telephone',
        name: 'staff-phone',
        component: PhoneRegistrationPage,
        meta: {
          title: 'Inscription par téléphone',
          nav: { label: 'Inscription par téléphone', description: 'Saisir la demande de compte d\'un partenaire au téléphone.' },
        },
      },
      {
        path: 'recherche',
        name: 'staff-search',
        component: SearchPage,
        meta: {
          title: 'Rechercher une demande ou un compte',
          nav: { label: 'Rechercher', description: 'Retrouver une demande ou un compte, son historique, renvoyer une invitation.' },
        },
      },
      {
        path: 'file',
        name: 'staff-queue',
        component: QueuePage,
        meta: {
          title: 'File d\'attente des demandes',
          roles: APPROVERS,
          nav: { label: 'File d\'attente', description: 'Examiner les demandes en attente : approuver ou rejeter.' },
        },
      },
      { path: 'demandes/:id', name: 'staff-request', component: RequestPage, meta: { title: 'Demande de compte' } },
      {
        path: 'domaine-de-confiance',
        name: 'staff-trust',
        component: TrustDomainPage,
        meta: {
          title: 'Domaine de confiance',
          roles: APPROVERS,
          nav: { label: 'Domaine de confiance', description: 'Les organismes dont les demandes sont acceptées sans validation.' },
        },
      },
      {
        path: 'administration',
        name: 'staff-admin',
        component: AdministrationPage,
        meta: {
          title: 'Administration',
          roles: ADMINS,
          nav: { label: 'Administration', description: 'Comptes du personnel, motifs de rejet, journal d\'audit.' },
        },
      },
      {
        path: 'bornes',
        name: 'staff-kiosks',
        component: KiosksPage,
        meta: {
          title: 'Bornes',
          roles: ADMINS,
          nav: { label: 'Bornes', description: 'Enregistrer les bornes en libre-service, ou révoquer leur clé.' },
        },
      },
    ],
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage, meta: { title: 'Page introuvable' } },
];

export function createAppRouter(history: RouterHistory = createWebHashHistory()) {
  // Hash history: the set-password token in the e-mailed link stays after "#", out of every server log.
  const router = createRouter({
    history,
    routes,
    scrollBehavior: () => ({ top: 0 }),
  });

  // Anonymous visitors of a restricted page sign in first, then come back; a signed-in user without the role
  // stays on the address and the staff layout tells them they have no access.
  router.beforeEach(async (to) => {
    if (isKiosk() && !KIOSK_ROUTES.includes(String(to.name))) return { name: 'home' };
    if (!to.meta.roles) return true;
    const session = useSessionStore();
    await session.ensureLoaded();
    return session.current ? true : { name: 'sign-in', query: { retour: to.fullPath } };
  });

  router.afterEach((to, from, failure) => {
    if (failure) return;
    document.title = `${to.meta.title} – ${SITE}`;
    // A single-page app changes pages silently: announce the new one by moving focus to its title,
    // except on the first page, where the browser's own page load already does.
    if (from.matched.length > 0 && to.path !== from.path) {
      void nextTick(() => focusElement(document.querySelector<HTMLElement>('#contenu h1')));
    }
  });

  return router;
}

/** A staff call answered 401: back to the sign-in page, which says the session expired and returns here after. */
export function redirectWhenSessionExpires(router: Router): () => void {
  return onSessionExpired(() => {
    useSessionStore().forget();
    const here = router.currentRoute.value;
    if (here.name === 'sign-in') return;
    void router.replace({ name: 'sign-in', query: { retour: here.fullPath, expiree: '1' } });
  });
}
