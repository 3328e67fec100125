import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirectorySearchResponse, Organisation } from '../../common/api/contracts.js';
import OrganisationStep from '../../src-renderer/pages/registration/OrganisationStep.vue';
import * as api from '../../src-renderer/services/api.js';
import { mountWithApp } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');

const SAINT_ETIENNE: Organisation = {
  siren: '214202186',
  name: 'Saint-Étienne',
  kind: 'Commune',
  legalCategory: '7210',
  legalCategoryLabel: 'Commune et commune nouvelle',
  town: 'Saint-Étienne',
  postcodes: ['42000'],
  departement: '42',
};

function answer(q: string, results: Organisation[], suggestion?: string): DirectorySearchResponse {
  return { query: q, page: 1, pageSize: 10, total: results.length, totalCapped: false, exact: false, results, ...(suggestion ? { suggestion } : {}) };
}

describe('organisation step: suggestion and filters', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.mocked(api.searchDirectory).mockImplementation(async (q) =>
      q === 'saint etienne' ? answer(q, [SAINT_ETIENNE]) : answer(q, [], 'saint etienne'),
    );
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.mocked(api.searchDirectory).mockReset();
  });

  it('offers « Vouliez-vous dire » when nothing is found, and runs that search when chosen', async () => {
    const { wrapper } = await mountWithApp(OrganisationStep);
    await wrapper.get('#organisation-search').setValue('sant etienne');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();

    const offer = wrapper.get('button.fr-link');
    expect(offer.element.parentElement?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Vouliez-vous dire : saint etienne ?');
    await offer.trigger('click');
    await vi.advanceTimersByTimeAsync(0);
    await flushPromises();

    expect((wrapper.get('#organisation-search').element as HTMLInputElement).value).toBe('saint etienne');
    expect(vi.mocked(api.searchDirectory).mock.calls.map((c) => c[0])).toEqual(['sant etienne', 'saint etienne']);
    expect(wrapper.find('[data-testid="organisation-214202186"]').exists()).toBe(true);
    expect(wrapper.find('button.fr-link').exists()).toBe(false);
    // The pause of typing is not waited for afterwards: no third search.
    await vi.advanceTimersByTimeAsync(500);
    expect(api.searchDirectory).toHaveBeenCalledTimes(2);
  });

  it('searches again at once in the département chosen, and among public bodies only, with French labels', async () => {
    const { wrapper } = await mountWithApp(OrganisationStep);
    await wrapper.get('#organisation-search').setValue('saint etienne');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();

    expect(wrapper.get('#directory-filters-legend').text()).toBe('Affiner la recherche (facultatif)');
    expect(wrapper.get('label[for="directory-departement"]').text()).toBe('Département');
    expect(wrapper.get('label[for="directory-public-only"]').text()).toBe('Collectivités et établissements publics uniquement');
    const select = wrapper.get('#directory-departement');
    expect(select.find('option[value="2A"]').text()).toBe('2A – Corse-du-Sud');

    await select.setValue('42');
    await flushPromises();
    expect(api.searchDirectory).toHaveBeenLastCalledWith('saint etienne', 1, expect.any(AbortSignal), { departement: '42', publicOnly: false });

    await wrapper.get('#directory-public-only').setValue(true);
    await flushPromises();
    expect(api.searchDirectory).toHaveBeenLastCalledWith('saint etienne', 1, expect.any(AbortSignal), { departement: '42', publicOnly: true });
    expect(api.searchDirectory).toHaveBeenCalledTimes(3);
  });
});
