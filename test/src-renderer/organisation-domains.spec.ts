import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VerifiedDomainView } from '../../common/api/staff.js';
import * as api from '../../src-renderer/services/api.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { failure, settle } from './helpers.js';
import { mountStaffApp } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

const SAINT_ETIENNE = { siren: '214202186', name: 'Saint-Étienne', kind: 'Commune', legalCategory: '7210', legalCategoryLabel: 'Commune et commune nouvelle', town: 'Saint-Étienne', postcodes: ['42000'], departement: '42' };
const VERIFIED: VerifiedDomainView = { domain: 'saint-etienne.fr', reason: 'Vérifié auprès de la DSI', verifiedAt: '2026-12-01T10:00:00.000Z', verifiedBy: 'Ada Admin' };

async function openDomains(role: 'admin' | 'approver') {
  vi.mocked(staffApi.listTrustRules).mockResolvedValue([]);
  vi.mocked(staffApi.listVerifiedDomains).mockResolvedValue([VERIFIED]);
  vi.mocked(api.searchDirectory).mockResolvedValue({ query: '214202186', page: 1, pageSize: 10, total: 1, totalCapped: false, exact: true, results: [SAINT_ETIENNE] });
  const mounted = await mountStaffApp('/personnel/domaine-de-confiance', role);
  await mounted.wrapper.get('#domains-siren').setValue('214 202 186');
  await mounted.wrapper.get('#domains-siren').element.closest('form')!.dispatchEvent(new Event('submit'));
  await settle();
  return mounted;
}

describe("an organisation's verified domains", () => {
  it('approvers read them, without the means to change them', async () => {
    const { wrapper } = await openDomains('approver');
    expect(staffApi.listVerifiedDomains).toHaveBeenCalledWith('214202186');
    expect(wrapper.text()).toContain('saint-etienne.fr');
    expect(wrapper.text()).toContain('Ada Admin');
    expect(wrapper.find('#domain-214202186').exists()).toBe(false);
    expect(wrapper.findAll('button').some((b) => b.text().startsWith('Retirer'))).toBe(false);
  });

  it("admins add one with a reason, and see the service's refusal of a free-mail domain on the field", async () => {
    vi.mocked(staffApi.addVerifiedDomain).mockRejectedValueOnce(
      failure(400, { error: 'free_mail_domain', message: 'gmail.com est une messagerie grand public', fields: { domain: 'gmail.com est une messagerie grand public' } }),
    );
    const { wrapper } = await openDomains('admin');
    await wrapper.get('#domain-214202186').setValue('gmail.com');
    await wrapper.get('#domain-reason-214202186').setValue('Vérifié par téléphone');
    await wrapper.get('#domain-214202186').element.closest('form')!.dispatchEvent(new Event('submit'));
    await settle();
    expect(wrapper.get('#domain-214202186-messages').text()).toContain('messagerie grand public');

    vi.mocked(staffApi.addVerifiedDomain).mockResolvedValueOnce([VERIFIED, { ...VERIFIED, domain: 'ville-test.fr' }]);
    await wrapper.get('#domain-214202186').setValue('ville-test.fr');
    await wrapper.get('#domain-214202186').element.closest('form')!.dispatchEvent(new Event('submit'));
    await settle();
    expect(staffApi.addVerifiedDomain).toHaveBeenLastCalledWith('214202186', 'ville-test.fr', 'Vérifié par téléphone');
    expect(wrapper.text()).toContain('Domaine vérifié : ville-test.fr.');
  });

  it('admins remove one only with a reason', async () => {
    vi.mocked(staffApi.removeVerifiedDomain).mockResolvedValue();
    const { wrapper } = await openDomains('admin');
    await wrapper.findAll('button').find((b) => b.text().startsWith('Retirer'))!.trigger('click');
    await flushPromises();
    const dialog = wrapper.get('dialog');
    await dialog.get('form').trigger('submit');
    await settle();
    expect(staffApi.removeVerifiedDomain).not.toHaveBeenCalled();
    await dialog.get('#remove-domain-reason-214202186').setValue('Domaine cédé à un tiers');
    await dialog.get('form').trigger('submit');
    await settle();
    expect(staffApi.removeVerifiedDomain).toHaveBeenCalledWith('214202186', 'saint-etienne.fr', 'Domaine cédé à un tiers');
    expect(wrapper.text()).toContain('Domaine retiré : saint-etienne.fr.');
  });
});
