import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirectorySearchResponse, Organisation } from '../../common/api/contracts.js';
import OrganisationStep from '../../src-renderer/pages/registration/OrganisationStep.vue';
import * as api from '../../src-renderer/services/api.js';
import { useRegistrationStore } from '../../src-renderer/stores/registration.js';
import { failure, mountWithApp } from './helpers.js';

vi.mock('../../src-renderer/services/api.js');

function organisation(siren: string, name: string): Organisation {
  return {
    siren,
    name,
    kind: 'Commune',
    legalCategory: '7210',
    legalCategoryLabel: 'Commune et commune nouvelle',
    town: name,
    postcodes: ['69001'],
    departement: '69',
  };
}

function answer(q: string, total: number, results: Organisation[], page = 1, totalCapped = false): DirectorySearchResponse {
  return { query: q, page, pageSize: 10, total, totalCapped, exact: false, results };
}

/** Validation runs asynchronously: its messages show a moment after the submission. */
async function submitStep(wrapper: Awaited<ReturnType<typeof mountWithApp>>['wrapper']): Promise<void> {
  await wrapper.get('form').trigger('submit');
  await vi.advanceTimersByTimeAsync(50);
  await flushPromises();
}

describe('organisation step', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for a pause in typing, searches once, and aborts the request of an older query', async () => {
    const signals: AbortSignal[] = [];
    vi.mocked(api.searchDirectory).mockImplementation(async (q, page, signal) => {
      if (signal) signals.push(signal);
      return answer(q, 43, [organisation('216901231', 'Lyon'), organisation('200046977', 'Métropole de Lyon')], page);
    });
    const { wrapper } = await mountWithApp(OrganisationStep);
    const field = wrapper.get('#organisation-search');

    await field.setValue('l');
    await field.setValue('ly');
    await field.setValue('lyo');
    await vi.advanceTimersByTimeAsync(100);
    await field.setValue('lyon');
    expect(api.searchDirectory).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();

    expect(api.searchDirectory).toHaveBeenCalledTimes(1);
    expect(api.searchDirectory).toHaveBeenCalledWith('lyon', 1, expect.any(AbortSignal), { departement: '', publicOnly: false });
    expect(wrapper.get('[role="status"]').text()).toBe('43 résultats – page 1 sur 5');
    expect(wrapper.find('[data-testid="organisation-216901231"]').exists()).toBe(true);

    // A slow answer for "lyon" must not land once the user has typed something else.
    vi.mocked(api.searchDirectory).mockImplementation((_q, _page, signal) => {
      if (signal) signals.push(signal);
      return new Promise(() => {});
    });
    await field.setValue('lyon 3');
    await vi.advanceTimersByTimeAsync(250);
    await field.setValue('lyon 8');
    await vi.advanceTimersByTimeAsync(250);
    expect(signals).toHaveLength(3);
    expect(signals[1]?.aborted).toBe(true);
    expect(signals[2]?.aborted).toBe(false);
  });

  it('shows the service\'s refusal of the query under the search field', async () => {
    vi.mocked(api.searchDirectory).mockRejectedValue(
      failure(400, {
        error: 'validation_failed',
        message: 'Saisissez un nom, une commune, un code postal, un SIREN ou un SIRET.',
        fields: { q: 'Saisissez un nom, une commune, un code postal, un SIREN ou un SIRET.' },
      }),
    );
    const { wrapper } = await mountWithApp(OrganisationStep);
    const field = wrapper.get('#organisation-search');

    await field.setValue('--');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();

    expect(wrapper.get('#organisation-search-messages').text()).toBe(
      'Saisissez un nom, une commune, un code postal, un SIREN ou un SIRET.',
    );
    expect(field.attributes('aria-invalid')).toBe('true');
    expect(field.attributes('aria-describedby')).toContain('organisation-search-messages');
  });

  it('refuses a mistyped SIREN without asking the service', async () => {
    const { wrapper } = await mountWithApp(OrganisationStep);

    await wrapper.get('#organisation-search').setValue('123 456 788');
    await vi.advanceTimersByTimeAsync(250);

    expect(api.searchDirectory).not.toHaveBeenCalled();
    expect(wrapper.get('#organisation-search-messages').text()).toContain('Le numéro SIREN 123456788 n\'est pas valide');
  });

  it('says so when nothing matches, and keeps the chosen organisation in the draft', async () => {
    vi.mocked(api.searchDirectory).mockResolvedValueOnce(answer('zzz', 0, []));
    const { wrapper } = await mountWithApp(OrganisationStep);
    const field = wrapper.get('#organisation-search');

    await field.setValue('zzz');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();
    expect(wrapper.get('[role="status"]').text()).toBe(
      "Aucun organisme ne correspond à votre recherche. Essayez avec le SIREN de votre organisme (les 9 premiers chiffres de son SIRET) ; si vous ne le trouvez toujours pas, appelez le guichet de l'ANRU au 01 53 63 55 00.",
    );

    const lyon = organisation('216901231', 'Lyon');
    vi.mocked(api.searchDirectory).mockResolvedValueOnce(answer('lyon', 1, [lyon]));
    await field.setValue('lyon');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();
    await wrapper.get('[data-testid="organisation-216901231"]').setValue(true);

    const store = useRegistrationStore();
    expect(store.draft.organisation.siren).toBe('216901231');
    expect(store.draft.organisation.selected).toEqual(lyon);
    expect(wrapper.text()).toContain('Organisme sélectionné : Lyon (SIREN 216 901 231)');
  });

  it('says "plus de 20 résultats" without a last page when the service caps the total', async () => {
    vi.mocked(api.searchDirectory).mockResolvedValueOnce(answer('saint', 20, [organisation('216901231', 'Lyon')], 1, true));
    const { wrapper } = await mountWithApp(OrganisationStep);
    await wrapper.get('#organisation-search').setValue('saint');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();
    expect(wrapper.get('[role="status"]').text().replace(/\s/g, ' ')).toBe('Plus de 20 résultats : précisez votre recherche – page 1');
  });

  it('refuses a number of the wrong length without asking the service', async () => {
    const { wrapper } = await mountWithApp(OrganisationStep);
    await wrapper.get('#organisation-search').setValue('356 000 00');
    await vi.advanceTimersByTimeAsync(250);
    expect(api.searchDirectory).not.toHaveBeenCalled();
    expect(wrapper.get('#organisation-search-messages').text()).toBe(
      'Un SIREN compte 9 chiffres et un SIRET 14 : le numéro saisi en compte 8. Vérifiez-le.',
    );
  });

  it('says a closed unit is closed, with the day', async () => {
    vi.mocked(api.searchDirectory).mockResolvedValueOnce({
      ...answer('389123456', 0, []),
      exact: true,
      closed: { siren: '389123456', name: 'SOCIETE D AMENAGEMENT DU VAL FERME', closedOn: '2015-01-01' },
    });
    const { wrapper } = await mountWithApp(OrganisationStep);
    await wrapper.get('#organisation-search').setValue('389123456');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();
    expect(wrapper.get('.fr-alert--warning').text()).toBe(
      "L'organisme « SOCIETE D AMENAGEMENT DU VAL FERME » est fermé depuis le 1er janvier 2015 selon le répertoire Sirene de l'INSEE. Indiquez le SIREN de votre organisme de rattachement actuel.",
    );
  });

  it('lets a valid SIREN outside the directory go on with the name and commune of the organisation', async () => {
    vi.mocked(api.searchDirectory).mockResolvedValue({ ...answer('356000000', 0, []), exact: true, notInDirectory: { siren: '356000000' } });
    const { wrapper } = await mountWithApp(OrganisationStep);
    const store = useRegistrationStore();
    await wrapper.get('#organisation-search').setValue('356000000');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();
    expect(wrapper.get('[role="status"]').text()).toBe("Ce SIREN est valide mais l'organisme n'est pas encore dans notre annuaire.");
    expect(wrapper.get('#off-directory-legend').text()).toContain('SIREN 356 000 000');

    // Going on without the name and commune is refused in French, on those fields.
    await submitStep(wrapper);
    expect(wrapper.get('#off-directory-name-messages').text()).toBe("Le nom de l'organisme est obligatoire.");
    expect(wrapper.get('#off-directory-commune-messages').text()).toBe("La commune de l'organisme est obligatoire.");
    expect(store.draft.step).toBe(1);

    await wrapper.get('#off-directory-name').setValue('La Poste');
    await wrapper.get('#off-directory-commune').setValue('Paris ?!');
    await submitStep(wrapper);
    expect(wrapper.get('#off-directory-commune-messages').text()).toBe(
      'Indiquez le nom de la commune (exemple : Saint-Étienne) ou son code postal (5 chiffres).',
    );

    await wrapper.get('#off-directory-commune').setValue('75015');
    await submitStep(wrapper);
    expect(store.draft.step).toBe(3);
    expect(store.draft.organisation).toMatchObject({ siren: '356000000', selected: null, offDirectory: { name: 'La Poste', commune: '75015' } });
  });

  it('forgets the organisation named outside the directory once another is chosen', async () => {
    vi.mocked(api.searchDirectory).mockResolvedValueOnce({ ...answer('356000000', 0, []), exact: true, notInDirectory: { siren: '356000000' } });
    const { wrapper } = await mountWithApp(OrganisationStep);
    const store = useRegistrationStore();
    await wrapper.get('#organisation-search').setValue('356000000');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();
    await wrapper.get('#off-directory-name').setValue('La Poste');
    expect(store.draft.organisation.offDirectory).toEqual({ name: 'La Poste', commune: '' });

    vi.mocked(api.searchDirectory).mockResolvedValueOnce(answer('lyon', 1, [organisation('216901231', 'Lyon')]));
    await wrapper.get('#organisation-search').setValue('lyon');
    await vi.advanceTimersByTimeAsync(250);
    await flushPromises();
    expect(wrapper.find('#off-directory-name').exists()).toBe(false);
    await wrapper.get('[data-testid="organisation-216901231"]').setValue(true);
    expect(store.draft.organisation).toMatchObject({ siren: '216901231', offDirectory: null });
  });
});
