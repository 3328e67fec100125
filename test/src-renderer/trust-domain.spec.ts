import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrustRuleView } from '../../common/api/staff.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { settle } from './helpers.js';
import { mountStaffApp, queueItem } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

const RULE: TrustRuleView = {
  id: 'rule-1',
  kind: 'legal_category',
  value: '7210',
  label: 'Commune et commune nouvelle',
  reason: 'Les communes sont nos partenaires directs.',
  createdAt: '2026-03-05T10:00:00.000Z',
  createdBy: 'Camille Durand',
};

async function openPage(rules: TrustRuleView[] = [], role: 'admin' | 'approver' = 'admin') {
  vi.mocked(staffApi.listTrustRules).mockResolvedValue(rules);
  return mountStaffApp('/personnel/domaine-de-confiance', role);
}

async function addCommunesRule(wrapper: Awaited<ReturnType<typeof openPage>>['wrapper']): Promise<void> {
  await wrapper.get('#trust-kind-legal-category').trigger('click');
  await wrapper.get('#trust-value').setValue('7210');
  await wrapper.get('#trust-reason').setValue('Les communes sont nos partenaires directs.');
  await wrapper.get('form').trigger('submit');
  await settle();
}

describe('trust domain page', () => {
  it('lists the rules with their type, value, reason and author', async () => {
    const { wrapper } = await openPage([RULE, { ...RULE, id: 'rule-2', kind: 'siren', value: '214202186', label: 'Saint-Étienne' }]);

    const rows = wrapper.findAll('tbody tr').map((row) => row.findAll('td').map((cell) => cell.text()));
    expect(rows[0]?.slice(0, 4)).toEqual(['Catégorie juridique', '7210', 'Commune et commune nouvelle', 'Les communes sont nos partenaires directs.']);
    expect(rows[0]?.[4]).toContain('par Camille Durand');
    expect(rows[1]?.slice(0, 2)).toEqual(['SIREN', '214 202 186']);
  });

  it('requires the type, the value and the reason before sending', async () => {
    const { wrapper } = await openPage();

    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.text()).toContain('Choisissez le type de règle.');
    expect(wrapper.get('#trust-value-messages').text()).toBe('La valeur de la règle est obligatoire.');
    expect(wrapper.get('#trust-reason-messages').text()).toBe('Indiquez la raison de cette règle.');
    expect(staffApi.createTrustRule).not.toHaveBeenCalled();
  });

  it('offers to approve the pending requests the new rule covers, all ticked, and approves the ones kept', async () => {
    const covered = [queueItem('c1'), queueItem('c2')];
    vi.mocked(staffApi.createTrustRule).mockResolvedValue({ rule: RULE, coveredPending: covered });
    vi.mocked(staffApi.approveCoveredRequests).mockResolvedValue({
      approved: ['c1'],
      skipped: [],
    });
    const { wrapper } = await openPage();

    await addCommunesRule(wrapper);

    expect(staffApi.createTrustRule).toHaveBeenCalledWith({
      kind: 'legal_category',
      value: '7210',
      reason: 'Les communes sont nos partenaires directs.',
    });
    expect(wrapper.text()).toContain('Règle ajoutée : Commune et commune nouvelle.');
    const boxes = wrapper.findAll('input[id^="covered-"]');
    expect(boxes).toHaveLength(2);
    expect(boxes.every((box) => (box.element as HTMLInputElement).checked)).toBe(true);
    const offer = () => wrapper.findAll('button').find((b) => b.text().startsWith('Approuver maintenant'));
    expect(offer()?.text()).toBe('Approuver maintenant les 2 demandes en attente couvertes par cette règle');

    await wrapper.get('#covered-c2').setValue(false);
    expect(offer()?.text()).toBe('Approuver maintenant la demande en attente couverte par cette règle');
    await offer()?.trigger('click');
    await flushPromises();

    expect(staffApi.approveCoveredRequests).toHaveBeenCalledWith('rule-1', ['c1']);
    expect(wrapper.text()).toContain('1 demande approuvée');
    expect(offer()).toBeUndefined();
  });

  it('reports the requests the service left alone, with why', async () => {
    vi.mocked(staffApi.createTrustRule).mockResolvedValue({ rule: RULE, coveredPending: [queueItem('c1'), queueItem('c2')] });
    vi.mocked(staffApi.approveCoveredRequests).mockResolvedValue({
      approved: ['c1'],
      skipped: [{ id: 'c2', message: "Marie Dupont-c2 : cette demande est en cours d'examen par Paul Martin." }],
    });
    const { wrapper } = await openPage();
    await addCommunesRule(wrapper);

    await wrapper.findAll('button').find((b) => b.text().startsWith('Approuver maintenant'))?.trigger('click');
    await flushPromises();

    expect(wrapper.text()).toContain('1 demande laissée de côté');
    expect(wrapper.text()).toContain("Marie Dupont-c2 : cette demande est en cours d'examen par Paul Martin.");
  });

  it('makes no offer when the rule covers no pending request', async () => {
    vi.mocked(staffApi.createTrustRule).mockResolvedValue({ rule: RULE, coveredPending: [] });
    const { wrapper } = await openPage();
    await addCommunesRule(wrapper);

    expect(wrapper.text()).toContain('Règle ajoutée');
    expect(wrapper.findAll('button').some((b) => b.text().startsWith('Approuver maintenant'))).toBe(false);
    expect(wrapper.findAll('tbody tr')).toHaveLength(1);
  });

  it('lets an approver add SIREN rules only: the legal-category choice is disabled, and says it is for admins', async () => {
    const { wrapper } = await openPage([], 'approver');

    expect((wrapper.get('#trust-kind-legal-category').element as HTMLInputElement).disabled).toBe(true);
    expect((wrapper.get('#trust-kind-siren').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.get('form').text()).toContain('Les règles par catégorie juridique sont réservées aux administrateurs.');

    await wrapper.get('#trust-value').setValue('214 202 186');
    await wrapper.get('#trust-reason').setValue('Partenaire conventionné du NPNRU');
    vi.mocked(staffApi.createTrustRule).mockResolvedValue({ rule: { ...RULE, kind: 'siren', value: '214202186', label: 'Saint-Étienne' }, coveredPending: [] });
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(staffApi.createTrustRule).toHaveBeenCalledWith({ kind: 'siren', value: '214202186', reason: 'Partenaire conventionné du NPNRU' });
  });

  it('shows an approver no way to remove a legal-category rule, and keeps it for SIREN rules', async () => {
    const { wrapper } = await openPage([RULE, { ...RULE, id: 'rule-2', kind: 'siren', value: '214202186', label: 'Saint-Étienne' }], 'approver');

    const [category, siren] = wrapper.findAll('tbody tr');
    expect(category!.find('button').exists()).toBe(false);
    expect(category!.text()).toContain('Retrait réservé aux administrateurs');
    expect(siren!.get('button').text()).toBe('Retirer la règle SIREN 214202186');
  });

  it('asks why before removing a rule', async () => {
    vi.mocked(staffApi.removeTrustRule).mockResolvedValue();
    const { wrapper } = await openPage([RULE]);

    await wrapper.get('tbody button').trigger('click');
    await flushPromises();
    const dialog = wrapper.get('dialog');
    expect(dialog.text()).toContain('Retirer la règle');
    await dialog.get('form').trigger('submit');
    await settle();
    expect(dialog.get('#remove-trust-reason-messages').text()).toBe('Indiquez la raison du retrait.');
    expect(staffApi.removeTrustRule).not.toHaveBeenCalled();

    await dialog.get('#remove-trust-reason').setValue('Convention terminée');
    await dialog.get('form').trigger('submit');
    await settle();

    expect(staffApi.removeTrustRule).toHaveBeenCalledWith('rule-1', 'Convention terminée');
    expect(wrapper.find('dialog').exists()).toBe(false);
    expect(wrapper.text()).toContain('Règle retirée : Commune et commune nouvelle.');
    expect(wrapper.text()).toContain('Aucune règle');
  });
});
