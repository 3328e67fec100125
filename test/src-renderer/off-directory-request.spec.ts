import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestDetail } from '../../common/api/staff.js';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { failure } from './helpers.js';
import { mountStaffApp, queueItem, queueResponse, requestDetail } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

const LA_POSTE = { siren: '356000000', name: 'La Poste', legalCategory: '', legalCategoryLabel: '', departement: null };

function offDirectory(overrides: Partial<RequestDetail> = {}): RequestDetail {
  return requestDetail('r1', {
    organisation: LA_POSTE,
    offDirectory: true,
    directoryRecord: null,
    declaredCommune: '75015 Paris',
    trustReason: "Organisme hors annuaire : SIREN 356000000 valide mais absent de l'annuaire",
    ...overrides,
  });
}

/** Validation runs asynchronously: its messages and the request come a moment after the submission. */
async function submit(wrapper: Awaited<ReturnType<typeof mountStaffApp>>['wrapper']): Promise<void> {
  await wrapper.get('form[aria-labelledby="add-organisation-title"]').trigger('submit');
  await new Promise((resolve) => setTimeout(resolve, 20));
  await flushPromises();
}

async function open(detail: RequestDetail, role: 'approver' | 'agent' = 'approver') {
  vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([queueItem('r1', { organisation: LA_POSTE, offDirectory: true })]));
  vi.mocked(staffApi.claimRequest).mockResolvedValue(detail);
  vi.mocked(staffApi.getRequest).mockResolvedValue({ ...detail, claimedByMe: false });
  vi.mocked(staffApi.releaseClaim).mockResolvedValue();
  vi.mocked(staffApi.listVerifiedDomains).mockResolvedValue([]);
  const mounted = await mountStaffApp('/personnel/demandes/r1', role);
  await flushPromises();
  return mounted;
}

describe('a request for an organisation outside the directory', () => {
  it('is flagged in the queue', async () => {
    vi.mocked(staffApi.getQueue).mockResolvedValue(queueResponse([queueItem('r1', { organisation: LA_POSTE, offDirectory: true }), queueItem('r2')]));
    const { wrapper } = await mountStaffApp('/personnel/file', 'approver');
    await flushPromises();
    const rows = wrapper.findAll('tr[data-request-id]');
    expect(rows[0]!.text()).toContain('Organisme hors annuaire');
    expect(rows[1]!.text()).not.toContain('Organisme hors annuaire');
  });

  it('shows what the applicant declared, and lets the approver add the organisation with a category and a reason', async () => {
    const { wrapper } = await open(offDirectory());
    expect(wrapper.text()).toContain('Organisme hors annuaire');
    expect(wrapper.text()).toContain('Commune déclarée');
    expect((wrapper.get('#add-organisation-name').element as HTMLInputElement).value).toBe('La Poste');
    expect((wrapper.get('#add-organisation-commune').element as HTMLInputElement).value).toBe('75015 Paris');

    await wrapper.get('#add-organisation-reason').setValue('Fiche INSEE consultée');
    await submit(wrapper);
    expect(wrapper.get('#add-organisation-category-messages').text()).toBe("Choisissez la catégorie juridique de l'organisme.");
    expect(staffApi.addOrganisationToDirectory).not.toHaveBeenCalled();

    const added = offDirectory({
      offDirectory: false,
      directoryRecord: { siren: '356000000', name: 'La Poste', kind: 'Société commerciale', legalCategory: '5599', legalCategoryLabel: "SA à conseil d'administration (s.a.i.)", town: 'Paris', postcodes: ['75015'], departement: '75' },
    });
    vi.mocked(staffApi.addOrganisationToDirectory).mockResolvedValue(added);
    await wrapper.get('#add-organisation-category').setValue('5599');
    await submit(wrapper);
    expect(staffApi.addOrganisationToDirectory).toHaveBeenCalledWith('r1', {
      name: 'La Poste',
      legalCategory: '5599',
      commune: '75015 Paris',
      reason: 'Fiche INSEE consultée',
    });
    expect(wrapper.text()).toContain("L'organisme « La Poste » a été ajouté à l'annuaire : la demande reste à décider.");
    expect(wrapper.find('#add-organisation-name').exists()).toBe(false);
  });

  it("shows the service's refusal on the commune", async () => {
    const { wrapper } = await open(offDirectory({ declaredCommune: 'Saint-Just' }));
    const message = 'Plusieurs communes correspondent (Saint-Just (01), Saint-Just (07)…) : précisez le code postal ou le département, par exemple « Saint-Just (01) ».';
    vi.mocked(staffApi.addOrganisationToDirectory).mockRejectedValue(failure(400, { error: 'validation_failed', message, fields: { commune: message } }));
    await wrapper.get('#add-organisation-category').setValue('5599');
    await wrapper.get('#add-organisation-reason').setValue('Fiche INSEE consultée');
    await submit(wrapper);
    expect(wrapper.get('#add-organisation-commune-messages').text()).toBe(message);
  });

  it('offers no addition to the approver who typed the request, nor to a help-desk agent', async () => {
    expect((await open(offDirectory({ enteredByMe: true }))).wrapper.find('#add-organisation-name').exists()).toBe(false);
    expect((await open(offDirectory({ claimedByMe: false }), 'agent')).wrapper.find('#add-organisation-name').exists()).toBe(false);
  });
});
