import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StaffAccount } from '../../common/api/staff.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { failure, settle } from './helpers.js';
import { mountStaffApp } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

const ME: StaffAccount = { id: 'a-1', email: 'admin@anru.fr', firstName: 'Camille', lastName: 'Durand', role: 'admin', status: 'active', createdAt: '2026-11-01T09:00:00.000Z' };
const AGENT: StaffAccount = { id: 'a-2', email: 'agnes@anru.fr', firstName: 'Agnès', lastName: 'Martin', role: 'agent', status: 'active', createdAt: '2026-11-02T09:00:00.000Z' };

async function openPage(accounts: StaffAccount[] = [ME, AGENT]) {
  vi.mocked(staffApi.listStaffAccounts).mockResolvedValue(accounts);
  vi.mocked(staffApi.listRejectionReasons).mockResolvedValue([]);
  return mountStaffApp('/personnel/administration', 'admin');
}

function button(wrapper: Awaited<ReturnType<typeof openPage>>['wrapper'], name: string) {
  const found = wrapper.findAll('tbody button').find((b) => b.text() === name);
  if (!found) throw new Error(`no button « ${name} »`);
  return found;
}

describe('staff accounts, for an admin', () => {
  it('offers each account its actions, named for screen readers, and marks the admin\'s own row', async () => {
    const { wrapper } = await openPage([ME, AGENT, { ...AGENT, id: 'a-3', firstName: 'Paul', status: 'disabled' }]);

    const rows = wrapper.findAll('tbody tr');
    expect(rows[0]!.text()).toContain('Camille Durand (vous)');
    expect(rows[1]!.findAll('button').map((b) => b.text())).toEqual([
      'Changer le rôle de Agnès Martin',
      'Désactiver le compte de Agnès Martin',
      'Fermer les sessions de Agnès Martin',
    ]);
    expect(rows[2]!.text()).toContain('Désactivé : accès retiré');
    expect(rows[2]!.findAll('button').map((b) => b.text())).toEqual(['Changer le rôle de Paul Martin', 'Réactiver le compte de Paul Martin']);
  });

  it('disables an account after a confirmation that asks why, with the keyboard: focus in the dialog, Escape cancels', async () => {
    vi.mocked(staffApi.disableStaffAccount).mockResolvedValue({ ...AGENT, status: 'disabled' });
    const { wrapper } = await openPage();
    const opener = button(wrapper, 'Désactiver le compte de Agnès Martin');
    (opener.element as HTMLElement).focus();
    await opener.trigger('click');
    await flushPromises();

    let dialog = wrapper.get('dialog');
    expect(dialog.get('h1').text()).toBe('Désactiver le compte');
    expect(dialog.text()).toContain('Agnès Martin ne pourra plus se connecter');
    expect(document.activeElement?.id).toBe('staff-access-reason');
    dialog.element.dispatchEvent(new Event('cancel', { cancelable: true }));
    await flushPromises();
    expect(wrapper.find('dialog').exists()).toBe(false);
    expect(document.activeElement).toBe(opener.element);
    expect(staffApi.disableStaffAccount).not.toHaveBeenCalled();

    await opener.trigger('click');
    await flushPromises();
    dialog = wrapper.get('dialog');
    await dialog.get('form').trigger('submit');
    await settle();
    expect(dialog.get('#staff-access-reason-messages').text()).toBe('Indiquez la raison de ce changement.');
    expect(staffApi.disableStaffAccount).not.toHaveBeenCalled();

    await dialog.get('#staff-access-reason').setValue('Départ de la structure');
    await dialog.get('form').trigger('submit');
    await settle();
    expect(staffApi.disableStaffAccount).toHaveBeenCalledWith('a-2', 'Départ de la structure');
    expect(wrapper.find('dialog').exists()).toBe(false);
    expect(wrapper.text()).toContain('Compte de Agnès Martin désactivé : ses sessions sont fermées.');
    expect(wrapper.findAll('tbody tr')[1]!.text()).toContain('Désactivé : accès retiré');
  });

  it('changes a role, offering only the other roles, and shows the service\'s refusal for the last admin in the dialog', async () => {
    vi.mocked(staffApi.changeStaffRole).mockRejectedValue(
      failure(409, { error: 'last_admin', message: "Ce compte est le dernier administrateur actif : nommez d'abord un autre administrateur, sinon plus personne ne pourrait gérer les comptes du personnel." }),
    );
    const { wrapper } = await openPage();
    await button(wrapper, 'Changer le rôle de Camille Durand').trigger('click');
    await flushPromises();

    const dialog = wrapper.get('dialog');
    expect(dialog.findAll('input[type="radio"]').map((r) => r.attributes('id'))).toEqual(['access-role-agent', 'access-role-approver']);
    await dialog.get('#access-role-approver').trigger('click');
    await dialog.get('#staff-access-reason').setValue('Je change de poste');
    await dialog.get('form').trigger('submit');
    await settle();

    expect(staffApi.changeStaffRole).toHaveBeenCalledWith('a-1', 'approver', 'Je change de poste');
    expect(wrapper.get('dialog').text()).toContain('dernier administrateur actif');
  });

  it('ends a person\'s sessions and says how many', async () => {
    vi.mocked(staffApi.endStaffSessions).mockResolvedValue({ ended: 2, message: '2 sessions fermées : la personne doit se reconnecter.' });
    const { wrapper } = await openPage();
    await button(wrapper, 'Fermer les sessions de Agnès Martin').trigger('click');
    await flushPromises();
    const dialog = wrapper.get('dialog');
    expect(dialog.text()).toContain('Son compte reste actif.');
    await dialog.get('#staff-access-reason').setValue('Poste perdu');
    await dialog.get('form').trigger('submit');
    await settle();

    expect(staffApi.endStaffSessions).toHaveBeenCalledWith('a-2', 'Poste perdu');
    expect(wrapper.text()).toContain('2 sessions fermées : la personne doit se reconnecter.');
  });

  it('re-enables a disabled account', async () => {
    const disabled = { ...AGENT, status: 'disabled' };
    vi.mocked(staffApi.enableStaffAccount).mockResolvedValue({ ...AGENT, status: 'active' });
    const { wrapper } = await openPage([ME, disabled]);
    await button(wrapper, 'Réactiver le compte de Agnès Martin').trigger('click');
    await flushPromises();
    await wrapper.get('#staff-access-reason').setValue('Retour de congé');
    await wrapper.get('dialog form').trigger('submit');
    await settle();

    expect(staffApi.enableStaffAccount).toHaveBeenCalledWith('a-2', 'Retour de congé');
    expect(wrapper.findAll('tbody tr')[1]!.text()).toContain('Actif');
  });
});
