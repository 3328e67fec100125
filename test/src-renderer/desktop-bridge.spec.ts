import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DesktopBridge } from '../../common/ipc/contract.js';
import { DEFAULT_SETTINGS } from '../../common/ipc/schemas.js';
import { EMPTY_OUTBOX_STATUS } from '../../common/outbox/outbox.js';
import SettingsPage from '../../src-renderer/pages/SettingsPage.vue';
import SignInPage from '../../src-renderer/pages/SignInPage.vue';
import * as api from '../../src-renderer/services/api.js';
import { PHONE_DRAFT_STORAGE_KEY, usePhoneRegistrationStore } from '../../src-renderer/stores/phone-registration.js';
import { DRAFT_STORAGE_KEY, useRegistrationStore } from '../../src-renderer/stores/registration.js';
import { freshPinia, settle, testRouter } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');

enableAutoUnmount(afterEach);

/** What the desktop preload would expose: here, plain spies. */
function fakeBridge(kiosk: DesktopBridge['kiosk'] = null) {
  const bridge = {
    kiosk,
    getConnection: vi.fn(async () => ({ mode: 'local' as const, serviceUrl: 'http://127.0.0.1:4788' })),
    getSettings: vi.fn(async () => ({ ...DEFAULT_SETTINGS, localPort: 4790 })),
    saveSettings: vi.fn(async () => undefined),
    rememberSession: vi.fn(async () => undefined),
    hasKioskKey: vi.fn(async () => false),
    saveKioskKey: vi.fn(async (key: string | null) => key !== null),
    queuePhoneRegistration: vi.fn(async () => EMPTY_OUTBOX_STATUS),
    queueKioskRegistration: vi.fn(async () => EMPTY_OUTBOX_STATUS),
    getOutboxStatus: vi.fn(async () => EMPTY_OUTBOX_STATUS),
    replayOutbox: vi.fn(async () => EMPTY_OUTBOX_STATUS),
    dismissRefused: vi.fn(async () => EMPTY_OUTBOX_STATUS),
  } satisfies DesktopBridge;
  window.guichet = bridge;
  return bridge;
}

afterEach(() => {
  delete window.guichet;
  localStorage.clear();
});

async function mountPage(component: typeof SignInPage, path: string) {
  const pinia = freshPinia();
  const router = testRouter();
  await router.push(path);
  const wrapper = mount(component, { global: { plugins: [pinia, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

async function signIn(wrapper: Awaited<ReturnType<typeof mountPage>>['wrapper']): Promise<void> {
  await wrapper.get('#sign-in-email').setValue('agent@anru.fr');
  await wrapper.get('#sign-in-password').setValue('Guichet-Personnel-2026');
  await wrapper.get('form').trigger('submit');
  await settle();
}

describe('"rester connecté sur ce poste"', () => {
  it('is offered by the desktop app at a desk, and keeps the session in the keychain when ticked', async () => {
    const bridge = fakeBridge();
    vi.mocked(api.signIn).mockResolvedValue({ email: 'agent@anru.fr', firstName: 'Arnaud', lastName: 'Accueil', civility: '', role: 'agent' });
    const { wrapper, router } = await mountPage(SignInPage, '/connexion');

    await wrapper.get('#sign-in-remember').setValue(true);
    await signIn(wrapper);

    expect(bridge.rememberSession).toHaveBeenCalledWith(true);
    expect(router.currentRoute.value.name).toBe('staff-home');
  });

  it('keeps nothing when not ticked', async () => {
    const bridge = fakeBridge();
    vi.mocked(api.signIn).mockResolvedValue({ email: 'agent@anru.fr', firstName: 'Arnaud', lastName: 'Accueil', civility: '', role: 'agent' });
    const { wrapper } = await mountPage(SignInPage, '/connexion');
    await signIn(wrapper);
    expect(bridge.rememberSession).not.toHaveBeenCalled();
  });

  it('says so, and still lets the person in, when the keychain refuses', async () => {
    const bridge = fakeBridge();
    bridge.rememberSession.mockRejectedValue(new Error('Le trousseau du système est indisponible.'));
    vi.mocked(api.signIn).mockResolvedValue({ email: 'agent@anru.fr', firstName: 'Arnaud', lastName: 'Accueil', civility: '', role: 'agent' });
    const { wrapper, router } = await mountPage(SignInPage, '/connexion');
    await wrapper.get('#sign-in-remember').setValue(true);
    await signIn(wrapper);

    expect(wrapper.get('#remember-alert').text()).toContain('Vous êtes connecté, mais pas de façon durable');
    expect(router.currentRoute.value.name).toBe('sign-in');
    await wrapper.get('#remember-alert button').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('staff-home');
  });

  it('is not offered on a kiosk, and a browser offers its own "rester connecté"', async () => {
    const browser = await mountPage(SignInPage, '/connexion');
    expect(browser.wrapper.get('label[for="sign-in-remember"]').text()).toBe('Rester connecté');
    browser.wrapper.unmount();
    fakeBridge({ idleMinutes: 3 });
    const kiosk = await mountPage(SignInPage, '/connexion');
    expect(kiosk.wrapper.find('#sign-in-remember').exists()).toBe(false);
  });
});

describe('desk settings screen', () => {
  it('shows the saved settings and saves valid ones through the desktop app', async () => {
    const bridge = fakeBridge();
    const { wrapper } = await mountPage(SettingsPage, '/parametres');
    expect((wrapper.get('#localPort').element as HTMLInputElement).value).toBe('4790');

    await wrapper.get('input[value="central"]').trigger('click');
    await wrapper.get('#centralUrl').setValue('https://guichet.anru.fr/');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(bridge.saveSettings).toHaveBeenCalledWith({ ...DEFAULT_SETTINGS, connection: 'central', centralUrl: 'https://guichet.anru.fr', localPort: 4790 });
  });

  it('explains, field by field and in French, what cannot be saved', async () => {
    const bridge = fakeBridge();
    const { wrapper } = await mountPage(SettingsPage, '/parametres');
    await wrapper.get('input[value="central"]').trigger('click');
    await wrapper.get('#centralUrl').setValue('http://guichet.anru.fr');
    await wrapper.get('#kiosk').setValue(true);
    await wrapper.get('#kioskIdleMinutes').setValue('90');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(bridge.saveSettings).not.toHaveBeenCalled();
    expect(wrapper.get('#centralUrl-messages').text()).toBe("L'adresse du service central doit commencer par https://.");
    expect(wrapper.get('#kioskIdleMinutes-messages').text()).toBe("Le délai d'inactivité doit être compris entre 1 et 30 minutes.");
  });

  it('keeps the kiosk key through the desktop app, never shows it back, and can take it out', async () => {
    const bridge = fakeBridge();
    const { wrapper } = await mountPage(SettingsPage, '/parametres');
    expect(wrapper.get('[data-testid="kiosk-key-state"]').text()).toBe("Aucune clé n'est enregistrée sur ce poste.");
    expect(wrapper.text()).toContain('Elle vaut pour le service utilisé actuellement (http://127.0.0.1:4788)');

    const key = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
    const keyForm = () => wrapper.findAll('form')[1]!;
    await wrapper.get('#kioskKey').setValue(key.slice(0, 20));
    await keyForm().trigger('submit');
    await settle();
    expect(wrapper.get('#kioskKey-messages').text()).toMatch(/^La clé de la borne n'est pas valide/);
    expect(bridge.saveKioskKey).not.toHaveBeenCalled();

    await wrapper.get('#kioskKey').setValue(` ${key}\n`);
    await keyForm().trigger('submit');
    await settle();
    expect(bridge.saveKioskKey).toHaveBeenCalledWith(key);
    expect(bridge.saveSettings).not.toHaveBeenCalled();
    expect(wrapper.get('[data-testid="kiosk-key-state"]').text()).toMatch(/^Une clé est enregistrée sur ce poste\./);
    expect((wrapper.get('#kioskKey').element as HTMLInputElement).value).toBe('');
    expect(wrapper.html()).not.toContain(key);

    const remove = wrapper.findAll('button').find((b) => b.text() === 'Retirer la clé de ce poste');
    await remove!.trigger('click');
    await settle();
    expect(bridge.saveKioskKey).toHaveBeenLastCalledWith(null);
    expect(wrapper.get('[data-testid="kiosk-key-state"]').text()).toBe("Aucune clé n'est enregistrée sur ce poste.");
  });

  it('says a kiosk key is kept without showing it', async () => {
    const bridge = fakeBridge();
    bridge.hasKioskKey.mockResolvedValue(true);
    const { wrapper } = await mountPage(SettingsPage, '/parametres');
    expect(wrapper.get('[data-testid="kiosk-key-state"]').text()).toMatch(/^Une clé est enregistrée sur ce poste\. Elle n'est jamais réaffichée/);
    expect((wrapper.get('#kioskKey').element as HTMLInputElement).value).toBe('');
  });

  it('is only reachable in the desktop app at a desk', async () => {
    freshPinia();
    const router = testRouter();
    await router.push('/parametres');
    expect(router.currentRoute.value.name).toBe('not-found');
    fakeBridge();
    await router.push('/');
    await router.push('/parametres');
    expect(router.currentRoute.value.name).toBe('settings');
  });
});

describe('drafts in the desktop app', () => {
  it('at a desk, outlive a restart of the app', () => {
    fakeBridge();
    freshPinia();
    usePhoneRegistrationStore().draft.identity.lastName = 'Martin';
    expect(sessionStorage.getItem(PHONE_DRAFT_STORAGE_KEY)).toBeNull();

    // A restart: the page's memory and its session storage are gone, local storage is not.
    sessionStorage.clear();
    freshPinia();
    expect(usePhoneRegistrationStore().draft.identity.lastName).toBe('Martin');
  });

  it('on a kiosk, stay in the session storage that the reset wipes', () => {
    fakeBridge({ idleMinutes: 3 });
    freshPinia();
    useRegistrationStore().draft.identity.lastName = 'Borne';
    expect(localStorage.getItem(DRAFT_STORAGE_KEY)).toBeNull();
    expect(sessionStorage.getItem(DRAFT_STORAGE_KEY)).toContain('Borne');
  });
});
