import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../common/staff/roles.js';
import App from '../../src-renderer/App.vue';
import AccountPage from '../../src-renderer/pages/AccountPage.vue';
import SignInPage from '../../src-renderer/pages/SignInPage.vue';
import * as api from '../../src-renderer/services/api.js';
import { useSessionStore } from '../../src-renderer/stores/session.js';
import { failure, freshPinia, settle, testRouter } from './helpers.js';
import { session } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');

enableAutoUnmount(afterEach);

async function mountPage(component: object, path: string, role: Role | null = null) {
  const pinia = freshPinia();
  const store = useSessionStore();
  if (role) vi.mocked(api.getSession).mockResolvedValue(session(role));
  else vi.mocked(api.getSession).mockRejectedValue(failure(401, { error: 'not_signed_in', message: "Vous n'êtes pas connecté." }));
  const router = testRouter();
  await router.push(path);
  const wrapper = mount(component, { global: { plugins: [pinia, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router, store };
}

function button(wrapper: ReturnType<typeof mount>, label: string) {
  return wrapper.findAll('button').find((b) => b.text() === label);
}

describe('"rester connecté" in a browser', () => {
  async function signInWith(remember: boolean) {
    vi.mocked(api.signIn).mockResolvedValue(session('partner'));
    const { wrapper } = await mountPage(SignInPage, '/connexion');
    if (remember) await wrapper.get('#sign-in-remember').setValue(true);
    await wrapper.get('#sign-in-email').setValue('marie.dupont@lyon.fr');
    await wrapper.get('#sign-in-password').setValue('Guichet-Partenaire-2026');
    await wrapper.get('form').trigger('submit');
    await settle();
  }

  it('is unticked: the sign-in asks for a session that ends with the browser', async () => {
    await signInWith(false);
    expect(api.signIn).toHaveBeenCalledWith('marie.dupont@lyon.fr', 'Guichet-Partenaire-2026', false);
  });

  it('when ticked, asks for a session that outlives the browser', async () => {
    await signInWith(true);
    expect(api.signIn).toHaveBeenCalledWith('marie.dupont@lyon.fr', 'Guichet-Partenaire-2026', true);
  });
});

describe('"se déconnecter partout" in "Mon espace"', () => {
  it('ends every session, then this one, and goes to the sign-in page', async () => {
    const { wrapper, router, store } = await mountPage(AccountPage, '/compte', 'partner');
    expect(wrapper.text()).toContain("ferme aussi vos sessions ouvertes sur d'autres navigateurs ou postes");
    await button(wrapper, 'Se déconnecter partout')!.trigger('click');
    await flushPromises();

    expect(api.signOutEverywhere).toHaveBeenCalledTimes(1);
    expect(api.signOut).toHaveBeenCalledTimes(1);
    expect(vi.mocked(api.signOutEverywhere).mock.invocationCallOrder[0]).toBeLessThan(vi.mocked(api.signOut).mock.invocationCallOrder[0]!);
    expect(store.current).toBeNull();
    expect(router.currentRoute.value.name).toBe('sign-in');
  });

  it('says in French why it could not, and stays', async () => {
    vi.mocked(api.signOutEverywhere).mockRejectedValue(failure(503, { error: 'service_busy', message: 'Le service est momentanément indisponible.' }));
    const { wrapper, router } = await mountPage(AccountPage, '/compte', 'partner');
    await button(wrapper, 'Se déconnecter partout')!.trigger('click');
    await flushPromises();
    expect(wrapper.text()).toContain('Le service est momentanément indisponible.');
    expect(router.currentRoute.value.name).toBe('account');
    expect(button(wrapper, 'Se déconnecter partout')!.attributes('disabled')).toBeUndefined();
  });
});

describe('"se déconnecter partout" in the staff header', () => {
  it('sits next to "se déconnecter" and ends every session', async () => {
    vi.mocked(api.getHealth).mockResolvedValue({ status: 'ok' } as Awaited<ReturnType<typeof api.getHealth>>);
    const { wrapper, router, store } = await mountPage(App, '/', 'approver');
    await store.refresh();
    await flushPromises();
    const labels = wrapper.findAll('.fr-header__tools-links button, .fr-header__tools-links a').map((b) => b.text());
    expect(labels).toEqual(expect.arrayContaining(['Se déconnecter', 'Se déconnecter partout']));

    await button(wrapper, 'Se déconnecter partout')!.trigger('click');
    await flushPromises();
    expect(api.signOutEverywhere).toHaveBeenCalledTimes(1);
    expect(store.current).toBeNull();
    expect(router.currentRoute.value.name).toBe('sign-in');
  });
});
