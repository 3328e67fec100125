import { nextTick } from 'vue';
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { focusElement } from './composables/focus.js';
import AccountPage from './pages/AccountPage.vue';
import HomePage from './pages/HomePage.vue';
import NewLinkPage from './pages/NewLinkPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import RegistrationPage from './pages/RegistrationPage.vue';
import RegistrationResultPage from './pages/RegistrationResultPage.vue';
import SetPasswordPage from './pages/SetPasswordPage.vue';
import SignInPage from './pages/SignInPage.vue';
import TermsPage from './pages/TermsPage.vue';
import { useRegistrationStore } from './stores/registration.js';

declare module 'vue-router' {
  interface RouteMeta {
    title: string;
  }
}

const SITE = 'ANRUSCOPE';

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
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage, meta: { title: 'Page introuvable' } },
];

export function createAppRouter() {
  // Hash history: the set-password token in the e-mailed link stays after "#", out of every server log.
  const router = createRouter({
    history: createWebHashHistory(),
    routes,
    scrollBehavior: () => ({ top: 0 }),
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
