import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import RejectDialog from '../../src-renderer/components/staff/RejectDialog.vue';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { failure, settle } from './helpers.js';
import { requestDetail } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

const REASONS = [
  { id: 'm1', label: 'Adresse e-mail non professionnelle', active: true },
  { id: 'm2', label: 'Ancien motif', active: false },
  { id: 'm3', label: 'Organisme sans lien avec l\'ANRU', active: true },
];

async function openDialog() {
  vi.mocked(staffApi.listRejectionReasons).mockResolvedValue(REASONS);
  const wrapper = mount(RejectDialog, {
    props: { open: true, requestId: 'r1', applicantName: 'Marie Dupont' },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

describe('reject dialog', () => {
  it('offers the active canned reasons only, as a radio list, and a labelled optional comment', async () => {
    const wrapper = await openDialog();

    const radios = wrapper.findAll('input[type="radio"]');
    expect(radios.map((r) => wrapper.get(`label[for="${r.attributes('id')}"]`).text())).toEqual([
      'Adresse e-mail non professionnelle',
      'Organisme sans lien avec l\'ANRU',
    ]);
    expect(wrapper.get('legend').text()).toContain('Motif du rejet');
    expect(wrapper.get('label[for="reject-comment"]').text()).toBe('Commentaire (facultatif)');
    expect(wrapper.get('dialog').attributes('aria-labelledby')).toBe(wrapper.get('h1').attributes('id'));
    expect(document.activeElement).toBe(radios[0]?.element);
  });

  it('requires a reason and sends nothing without one', async () => {
    const wrapper = await openDialog();

    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.text()).toContain('Choisissez un motif de rejet.');
    expect(staffApi.rejectRequest).not.toHaveBeenCalled();
  });

  it('refuses a comment over 1000 characters', async () => {
    const wrapper = await openDialog();
    await wrapper.get('#reject-reason-m1').trigger('click');
    await wrapper.get('#reject-comment').setValue('x'.repeat(1001));

    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.get('#reject-comment-messages').text()).toBe('Le commentaire ne doit pas dépasser 1000 caractères.');
    expect(staffApi.rejectRequest).not.toHaveBeenCalled();
  });

  it('sends the chosen reason with the trimmed comment and hands the decided request back', async () => {
    const decided = requestDetail('r1', { status: 'rejected' });
    vi.mocked(staffApi.rejectRequest).mockResolvedValue(decided);
    const wrapper = await openDialog();

    await wrapper.get('#reject-reason-m3').trigger('click');
    await wrapper.get('#reject-comment').setValue('  Merci de passer par votre référent local.  ');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(staffApi.rejectRequest).toHaveBeenCalledWith('r1', { reasonId: 'm3', comment: 'Merci de passer par votre référent local.' });
    expect(wrapper.emitted('rejected')).toEqual([[decided]]);
  });

  it('hands a conflict to the page: someone else decided first', async () => {
    vi.mocked(staffApi.rejectRequest).mockRejectedValue(
      failure(409, { error: 'already_decided', message: 'Cette demande a déjà été traitée : approuvée le 05/03/2026 14:00 par Paul Martin.' }),
    );
    const wrapper = await openDialog();

    await wrapper.get('#reject-reason-m1').trigger('click');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.emitted('conflict')).toEqual([['Cette demande a déjà été traitée : approuvée le 05/03/2026 14:00 par Paul Martin.']]);
  });

  it('shows the service\'s field message under the list', async () => {
    vi.mocked(staffApi.rejectRequest).mockRejectedValue(
      failure(400, {
        error: 'validation_failed',
        message: 'Choisissez un motif de rejet dans la liste.',
        fields: { reasonId: 'Choisissez un motif de rejet dans la liste.' },
      }),
    );
    const wrapper = await openDialog();

    await wrapper.get('#reject-reason-m1').trigger('click');
    await wrapper.get('form').trigger('submit');
    await settle();

    expect(wrapper.get('fieldset').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('.fr-messages-group').text()).toBe('Choisissez un motif de rejet dans la liste.');
  });
});
