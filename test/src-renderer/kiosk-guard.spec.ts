import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import KioskGuard from '../../src-renderer/components/KioskGuard.vue';
import { createMemoryHistory } from 'vue-router';
import { createAppRouter } from '../../src-renderer/router.js';
import { useRegistrationStore } from '../../src-renderer/stores/registration.js';
import { freshPinia } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');

enableAutoUnmount(afterEach);

beforeEach(() => {
  vi.useFakeTimers();
  window.history.replaceState(null, '', '/?kiosque=1');
});
afterEach(() => {
  vi.useRealTimers();
  window.history.replaceState(null, '', '/');
});

async function kioskAt(path: string) {
  const pinia = freshPinia();
  const router = createAppRouter(createMemoryHistory());
  await router.push(path);
  const wrapper = mount(KioskGuard, { props: { idleMinutes: 3 }, global: { plugins: [pinia, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

async function pass(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await flushPromises();
}

describe('kiosk guard', () => {
  it('asks whether the applicant is still there, forgets the question on any activity, and resets after the countdown', async () => {
    const { wrapper } = await kioskAt('/inscription');
    await pass(2.5 * 60_000 - 1_000);
    expect(document.querySelector('dialog')).toBeNull();

    await pass(2_000);
    expect(document.querySelector('dialog')?.textContent).toContain('Êtes-vous toujours là ?');
    expect(document.querySelector('[data-testid="kiosk-countdown"]')?.textContent).toBe('29 s');

    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    await pass(1_000);
    expect(document.querySelector('dialog')).toBeNull();

    await pass(3 * 60_000);
    expect(wrapper.emitted('reset')).toHaveLength(1);
  });

  it('wipes the outcome of a request 30 seconds after it shows, whatever the activity', async () => {
    const { wrapper, router } = await kioskAt('/inscription');
    useRegistrationStore().outcome = { outcome: 'pending_approval', message: 'En attente.', email: 'alice@exemple.fr' };
    await router.push('/inscription/resultat');
    await flushPromises();
    expect(wrapper.text()).toContain('Cet écran sera effacé dans 30 s pour la personne suivante.');

    for (let second = 0; second < 29; second++) {
      document.dispatchEvent(new PointerEvent('pointerdown'));
      await pass(1_000);
    }
    expect(wrapper.emitted('reset')).toBeUndefined();
    await pass(1_000);
    expect(wrapper.emitted('reset')).toHaveLength(1);
  });

  it('never resets the welcome page', async () => {
    const { wrapper } = await kioskAt('/');
    await pass(60 * 60_000);
    expect(wrapper.emitted('reset')).toBeUndefined();
  });
});

describe('kiosk routes', () => {
  it('keeps a kiosk on the applicant\'s pages', async () => {
    freshPinia();
    const router = createAppRouter(createMemoryHistory());
    for (const path of ['/connexion', '/personnel/file', '/compte', '/parametres', '/mot-de-passe']) {
      await router.push(path);
      expect(router.currentRoute.value.name).toBe('home');
    }
    await router.push('/inscription');
    expect(router.currentRoute.value.name).toBe('registration');
  });
});
