import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KioskView } from '../../common/api/staff.js';
import ServiceStatus from '../../src-renderer/components/ServiceStatus.vue';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { useOutboxStore } from '../../src-renderer/stores/outbox.js';
import { failure, freshPinia, settle } from './helpers.js';
import { mountStaffApp } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);
afterEach(() => {
  window.history.replaceState(null, '', '/');
});

const HALL: KioskView = {
  id: 'kiosk-1',
  name: 'Hall de la mairie',
  createdAt: '2026-11-20T09:00:00.000Z',
  createdBy: 'Camille Durand',
  lastSeenAt: '2026-12-01T10:30:00.000Z',
  revokedAt: null,
};
const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

async function openPage(kiosks: KioskView[] = []) {
  vi.mocked(staffApi.listKiosks).mockResolvedValue(kiosks);
  return mountStaffApp('/personnel/bornes', 'admin');
}

describe('kiosks page', () => {
  it('lists the kiosks with who enrolled them, when they last sent, and whether they are revoked', async () => {
    const { wrapper } = await openPage([HALL, { ...HALL, id: 'kiosk-2', name: 'Ancienne borne', lastSeenAt: null, revokedAt: '2026-11-30T08:00:00.000Z' }]);
    expect(wrapper.get('h1').text()).toBe('Bornes');
    const rows = wrapper.findAll('tbody tr').map((row) => row.findAll('td').map((cell) => cell.text()));
    expect(rows[0]?.[0]).toBe('Hall de la mairie');
    expect(rows[0]?.[1]).toContain('par Camille Durand');
    expect(rows[0]?.[3]).toBe('Active');
    expect(rows[0]?.[4]).toContain('Révoquer');
    expect(rows[1]?.slice(2, 5)).toEqual(['Jamais', 'Révoquée le 30/11/2026', '']);
  });

  it('enrols a kiosk and shows its key once, with where to paste it', async () => {
    vi.mocked(staffApi.enrolKiosk).mockResolvedValue({
      kiosk: { ...HALL, lastSeenAt: null },
      key: KEY,
      message: 'Borne « Hall de la mairie » enregistrée. Copiez sa clé maintenant et collez-la dans les paramètres du poste de la borne.',
    });
    const { wrapper } = await openPage();

    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('#kiosk-name-messages').text()).toBe('Donnez un nom à la borne (par exemple son emplacement).');
    expect(staffApi.enrolKiosk).not.toHaveBeenCalled();

    await wrapper.get('#kiosk-name').setValue('  Hall de la mairie ');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(staffApi.enrolKiosk).toHaveBeenCalledWith('Hall de la mairie');
    const shown = wrapper.get('[data-testid="kiosk-enrolled"]');
    expect((shown.get('#kiosk-key').element as HTMLInputElement).value).toBe(KEY);
    expect(shown.get('#kiosk-key').attributes('readonly')).toBeDefined();
    expect(shown.text()).toContain('collez-la dans les paramètres du poste de la borne');
    expect(shown.text()).toContain('copiez-la avec Ctrl+C');
    expect(document.activeElement?.id).toBe('kiosk-key');
    expect(wrapper.findAll('tbody tr')).toHaveLength(1);

    await shown.findAll('button').find((b) => b.text().startsWith("J'ai copié la clé"))!.trigger('click');
    expect(wrapper.html()).not.toContain(KEY);
  });

  it('says why an enrolment was refused, on the name', async () => {
    const message = "Une borne active s'appelle déjà « Hall de la mairie » : choisissez un autre nom, ou révoquez d'abord l'ancienne.";
    vi.mocked(staffApi.enrolKiosk).mockRejectedValue(failure(409, { error: 'kiosk_name_taken', message, fields: { name: message } }));
    const { wrapper } = await openPage([HALL]);
    await wrapper.get('#kiosk-name').setValue('Hall de la mairie');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('#kiosk-name-messages').text()).toBe(message);
    expect(wrapper.find('[data-testid="kiosk-enrolled"]').exists()).toBe(false);
  });

  it('asks for confirmation before revoking, and can be cancelled', async () => {
    vi.mocked(staffApi.revokeKiosk).mockResolvedValue({ ...HALL, revokedAt: '2026-12-02T09:00:00.000Z' });
    const { wrapper } = await openPage([HALL]);

    await wrapper.get('tbody button').trigger('click');
    await flushPromises();
    expect(wrapper.get('dialog').text()).toContain('La clé de la borne Hall de la mairie cessera aussitôt de fonctionner');
    await wrapper.get('dialog').findAll('button').find((b) => b.text() === 'Annuler')!.trigger('click');
    await flushPromises();
    expect(wrapper.find('dialog').exists()).toBe(false);
    expect(staffApi.revokeKiosk).not.toHaveBeenCalled();

    await wrapper.get('tbody button').trigger('click');
    await flushPromises();
    await wrapper.get('dialog').findAll('button').find((b) => b.text() === 'Révoquer la borne')!.trigger('click');
    await flushPromises();
    expect(staffApi.revokeKiosk).toHaveBeenCalledWith('kiosk-1');
    expect(wrapper.find('dialog').exists()).toBe(false);
    expect(wrapper.text()).toContain('Borne révoquée : Hall de la mairie.');
    expect(wrapper.get('tbody tr').text()).toContain('Révoquée le 02/12/2026');
    expect(wrapper.find('tbody button').exists()).toBe(false);
  });

  it('is for admins only', async () => {
    const { wrapper } = await mountStaffApp('/personnel/bornes', 'approver');
    expect(wrapper.get('h1').text()).toBe("Vous n'avez pas accès à cette page");
    expect(staffApi.listKiosks).not.toHaveBeenCalled();
  });
});

describe('a kiosk whose key is missing or revoked', () => {
  async function statusLine(kiosk: boolean) {
    if (kiosk) window.history.replaceState(null, '', '/?kiosque=1');
    const pinia = freshPinia();
    useOutboxStore().status = { pending: 2, refused: [], waitingForSignIn: false, waitingForKioskKey: true };
    const wrapper = mount(ServiceStatus, { global: { plugins: [pinia] } });
    await flushPromises();
    return wrapper;
  }

  it('says so on the kiosk, without a count nor anything of the applicants', async () => {
    const wrapper = await statusLine(true);
    expect(wrapper.get('[data-testid="kiosk-key-missing"]').text()).toMatch(/^Cette borne n'est pas reconnue par le service/);
    expect(wrapper.text()).not.toMatch(/\d demandes?/);
  });

  it('at a desk (started with --no-kiosk), says where the key goes', async () => {
    const wrapper = await statusLine(false);
    expect(wrapper.get('[data-testid="outbox-pending"]').text()).toBe(
      "2 demandes en attente d'envoi : saisissez la clé de la borne dans les paramètres du poste pour les transmettre.",
    );
    expect(wrapper.find('[data-testid="kiosk-key-missing"]').exists()).toBe(false);
  });
});
