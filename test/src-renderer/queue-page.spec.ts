import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatAge, formatDuration } from '../../src-renderer/services/format.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { settle } from './helpers.js';
import { mountStaffApp, queueItem, queueResponse } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

describe('waiting times', () => {
  it('reads as staff say them', () => {
    expect(formatAge(3 * 86_400 + 5_000)).toBe('il y a 3 j');
    expect(formatAge(2 * 3_600 + 59)).toBe('il y a 2 h');
    expect(formatAge(5 * 60)).toBe('il y a 5 min');
    expect(formatDuration(20)).toBe("moins d'une minute");
  });
});

describe('approval queue', () => {
  it('shows the waiting count and each request with its age, organisation, channel and claim', async () => {
    vi.mocked(staffApi.getQueue).mockResolvedValue(
      queueResponse(
        [
          queueItem('r1', { channel: 'kiosk' }),
          queueItem('r2', { ageSeconds: 2 * 3_600, channel: 'phone', claimedBy: 'Paul Martin', claimedUntil: '2026-03-05T13:05:00.000Z' }),
        ],
        { waiting: 12, oldestWaitingSeconds: 4 * 86_400 },
      ),
    );
    const { wrapper } = await mountStaffApp('/personnel/file', 'approver');

    expect(staffApi.getQueue).toHaveBeenCalledWith({ status: 'pending', departement: '', q: '', page: 1 });
    expect(wrapper.get('[role="status"]').text()).toBe('12 demandes en attente — la plus ancienne attend depuis 4 j');
    const cells = wrapper.findAll('tbody tr').map((row) => row.findAll('td').map((cell) => cell.text()));
    expect(cells[0]?.[0]).toBe('il y a 3 j');
    expect(cells[0]?.[1]).toBe('Marie Dupont-r1');
    expect(cells[0]?.[2]).toBe('marie.r1@exemple.fr');
    expect(cells[0]?.[3]).toContain('Lyon');
    expect(cells[0]?.[3]).toContain('SIREN 216 901 231 · Commune et commune nouvelle · Département 69');
    expect(cells[0]?.[4]).toBe('Borne');
    expect(cells[1]?.[0]).toBe('il y a 2 h');
    expect(cells[1]?.[4]).toBe('Téléphone');
    expect(cells[1]?.[5]).toBe("En cours d'examen par Paul Martin");
  });

  it('makes each row a link to the request', async () => {
    vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([queueItem('r1')]));
    vi.mocked(staffApi.claimRequest).mockReturnValue(new Promise(() => {}));
    const { wrapper, router } = await mountStaffApp('/personnel/file', 'approver');

    const link = wrapper.get('tbody a');
    expect(link.attributes('href')).toBe('/personnel/demandes/r1');
    expect(link.text()).toBe('Marie Dupont-r1');
    await wrapper.get('tbody td').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/personnel/demandes/r1');
  });

  it('keeps the waiting count in view whatever the filters, and says when nothing matches', async () => {
    vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([], { total: 0, waiting: 1, oldestWaitingSeconds: 3_600 }));
    const { wrapper } = await mountStaffApp('/personnel/file', 'approver');

    await wrapper.get('#queue-status').setValue('rejected');
    await wrapper.get('#queue-departement').setValue('2a');
    await wrapper.get('#queue-q').setValue(' dupont ');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(staffApi.getQueue).toHaveBeenLastCalledWith({ status: 'rejected', departement: '2A', q: 'dupont', page: 1 });
    expect(wrapper.get('[role="status"]').text()).toBe('1 demande en attente — elle attend depuis 1 h');
    expect(wrapper.text()).toContain('Aucune demande ne correspond à ces critères.');
  });

  it('refuses a département code that is not one', async () => {
    vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([]));
    const { wrapper } = await mountStaffApp('/personnel/file', 'approver');

    await wrapper.get('#queue-departement').setValue('Loire');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.get('#queue-departement-messages').text()).toBe('Le département doit être un code comme 42, 2A ou 974.');
    expect(staffApi.getQueue).toHaveBeenCalledTimes(1);
  });

  it('pages with the service\'s page size', async () => {
    vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([queueItem('r1')], { total: 45, pageSize: 20 }));
    const { wrapper } = await mountStaffApp('/personnel/file', 'approver');

    const pages = wrapper.get('nav[aria-label="Pages de la file d\'attente"]');
    expect(pages.findAll('a').map((a) => a.text()).filter((t) => /^\d+$/.test(t))).toEqual(['1', '2', '3']);
    await pages.findAll('a').find((a) => a.text() === '3')?.trigger('click');
    await flushPromises();

    expect(staffApi.getQueue).toHaveBeenLastCalledWith({ status: 'pending', departement: '', q: '', page: 3 });
  });
});
