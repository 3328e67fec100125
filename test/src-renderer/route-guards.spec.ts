import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import StaffNavigation from '../../src-renderer/components/staff/StaffNavigation.vue';
import { createAppRouter, redirectWhenSessionExpires } from '../../src-renderer/router.js';
import * as api from '../../src-renderer/services/api.js';
import { notifySessionExpired } from '../../src-renderer/services/session-expiry.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { useSessionStore } from '../../src-renderer/stores/session.js';
import { failure, freshPinia } from './helpers.js';
import { mountStaffApp, queueResponse, session } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

const FORBIDDEN = "Vous n'avez pas accès à cette page";

describe('route guards', () => {
  it('sends an anonymous visitor to the sign-in page, keeping where they were going', async () => {
    vi.mocked(api.getSession).mockRejectedValue(failure(401, { error: 'not_signed_in', message: 'Connectez-vous.' }));
    const pinia = freshPinia();
    const router = createAppRouter(createMemoryHistory());
    mount({ render: () => null }, { global: { plugins: [pinia, router] } });

    await router.push('/personnel/file?statut=pending');

    expect(api.getSession).toHaveBeenCalledTimes(1);
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.retour).toBe('/personnel/file?statut=pending');
  });

  it('tells an agent the queue is not for them, without loading it', async () => {
    const { wrapper, router } = await mountStaffApp('/personnel/file', 'agent');

    expect(router.currentRoute.value.fullPath).toBe('/personnel/file');
    expect(wrapper.get('h1').text()).toBe(FORBIDDEN);
    expect(staffApi.getQueue).not.toHaveBeenCalled();
  });

  it('tells a partner that no staff page is for them', async () => {
    const { wrapper } = await mountStaffApp('/personnel/recherche', 'partner');
    expect(wrapper.get('h1').text()).toBe(FORBIDDEN);
    expect(wrapper.text()).toContain('Revenir à mon espace');
  });

  it('opens the queue for approvers and admins, and administration for admins only', async () => {
    vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([]));

    const approver = await mountStaffApp('/personnel/file', 'approver');
    expect(approver.wrapper.get('h1').text()).toBe("File d'attente des demandes");
    expect(staffApi.getQueue).toHaveBeenCalled();
    await approver.router.push('/personnel/administration');
    await flushPromises();
    expect(approver.wrapper.get('h1').text()).toBe(FORBIDDEN);

    vi.mocked(staffApi.listStaffAccounts).mockResolvedValue([]);
    vi.mocked(staffApi.listRejectionReasons).mockResolvedValue([]);
    const admin = await mountStaffApp('/personnel/administration', 'admin');
    expect(admin.wrapper.get('h1').text()).toBe('Administration');
    expect(admin.wrapper.get('a[download]').text()).toBe("Exporter le journal d'audit (CSV)");
  });

  it('shows each role its own staff navigation', async () => {
    const labelsFor = async (role: 'agent' | 'approver' | 'admin' | 'partner') => {
      const { router, pinia } = await mountStaffApp('/', role);
      const nav = mount(StaffNavigation, { global: { plugins: [pinia, router] } });
      return nav.findAll('a').map((a) => a.text());
    };

    expect(await labelsFor('agent')).toEqual(['Inscription par téléphone', 'Rechercher']);
    expect(await labelsFor('approver')).toEqual(['Inscription par téléphone', 'Rechercher', "File d'attente", 'Domaine de confiance']);
    expect(await labelsFor('admin')).toEqual([
      'Inscription par téléphone',
      'Rechercher',
      "File d'attente",
      'Domaine de confiance',
      'Administration',
      'Bornes',
    ]);
    expect(await labelsFor('partner')).toEqual([]);
  });

  it('sends to the sign-in page, saying the session expired, when a staff call is answered 401', async () => {
    vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([]));
    const { router } = await mountStaffApp('/personnel/file', 'approver');
    const stop = redirectWhenSessionExpires(router);

    notifySessionExpired();
    await flushPromises();
    stop();

    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query).toEqual({ retour: '/personnel/file', expiree: '1' });
    expect(useSessionStore().current).toBeNull();
  });

  it('shows the expiry on the sign-in page and returns to the page the person was on after signing in', async () => {
    vi.mocked(api.signIn).mockResolvedValue(session('approver'));
    vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([]));
    const { wrapper, router } = await mountStaffApp('/connexion?retour=%2Fpersonnel%2Ffile&expiree=1', null);

    expect(wrapper.text()).toContain('Votre session a expiré');
    await wrapper.get('#sign-in-email').setValue('valideur@anru.fr');
    await wrapper.get('#sign-in-password').setValue('Mot-de-passe-1');
    await wrapper.get('form').trigger('submit');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flushPromises();

    expect(router.currentRoute.value.fullPath).toBe('/personnel/file');
  });

  it('lands staff on the staff home and partners on their account after signing in', async () => {
    vi.mocked(api.signIn).mockResolvedValue(session('agent'));
    const { wrapper, router } = await mountStaffApp('/connexion', null);
    await wrapper.get('#sign-in-email').setValue('agent@anru.fr');
    await wrapper.get('#sign-in-password').setValue('Mot-de-passe-1');
    await wrapper.get('form').trigger('submit');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flushPromises();

    expect(router.currentRoute.value.name).toBe('staff-home');
    expect(wrapper.text()).toContain('Inscription par téléphone');
  });
});
