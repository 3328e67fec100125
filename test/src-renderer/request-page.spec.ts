import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { useQueueStore } from '../../src-renderer/stores/queue.js';
import { failure } from './helpers.js';
import { mountStaffApp, pressKey, queueItem, queueResponse, requestDetail } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

const QUEUE = queueResponse([queueItem('r1'), queueItem('r2'), queueItem('r3')]);

function serveRequests(): void {
  vi.mocked(staffApi.getQueue).mockResolvedValue(QUEUE);
  vi.mocked(staffApi.claimRequest).mockImplementation(async (id) => requestDetail(id));
  vi.mocked(staffApi.getRequest).mockImplementation(async (id) => requestDetail(id, { claimedByMe: false }));
  vi.mocked(staffApi.releaseClaim).mockResolvedValue();
  vi.mocked(staffApi.listVerifiedDomains).mockResolvedValue([]);
}

/** The approver opened the queue first: its list is in the store, as when arriving from the queue page. */
async function openFromQueue(id: string) {
  serveRequests();
  const mounted = await mountStaffApp(`/personnel/demandes/${id}`, 'approver');
  await useQueueStore().load();
  await flushPromises();
  return mounted;
}

describe('request page, keyboard', () => {
  it('claims the request on opening and lists the shortcuts', async () => {
    const { wrapper } = await openFromQueue('r2');

    expect(staffApi.claimRequest).toHaveBeenCalledWith('r2');
    expect(wrapper.get('h1').text()).toBe('Demande de Marie Dupont-r2');
    expect(wrapper.get('#request-shortcuts').text()).toBe(
      'Raccourcis clavier : n suivante, p précédente, a approuver, r rejeter',
    );
  });

  it('goes to the next request with n and to the previous one with p, releasing the claim it leaves', async () => {
    const { router } = await openFromQueue('r2');

    pressKey('n');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/personnel/demandes/r3');
    expect(staffApi.releaseClaim).toHaveBeenCalledWith('r2');
    expect(staffApi.claimRequest).toHaveBeenLastCalledWith('r3');

    pressKey('p');
    await flushPromises();
    pressKey('p');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/personnel/demandes/r1');
  });

  it('says so when there is no next request on the page shown', async () => {
    const { wrapper, router } = await openFromQueue('r3');

    pressKey('n');
    await flushPromises();

    expect(router.currentRoute.value.fullPath).toBe('/personnel/demandes/r3');
    expect(wrapper.text()).toContain('Pas de demande suivante sur la page de la file affichée.');
  });

  it('ignores the shortcuts while the user types in a field, or holds a modifier', async () => {
    const { router } = await openFromQueue('r2');
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    document.body.append(input, textarea);

    pressKey('n', input);
    pressKey('p', textarea);
    pressKey('r', input);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', ctrlKey: true, cancelable: true }));
    await flushPromises();

    expect(router.currentRoute.value.fullPath).toBe('/personnel/demandes/r2');
    expect(document.querySelector('dialog')).toBeNull();
    input.remove();
    textarea.remove();
  });

  it('asks for confirmation on a, approves on confirm and moves on to the next request with the outcome', async () => {
    vi.mocked(staffApi.approveRequest).mockImplementation(async (id) => requestDetail(id, { status: 'approved', claimedByMe: false }));
    const { wrapper, router } = await openFromQueue('r1');

    pressKey('a');
    await flushPromises();
    const dialog = document.querySelector('dialog');
    expect(dialog?.textContent).toContain('Approuver cette demande ?');
    expect(staffApi.approveRequest).not.toHaveBeenCalled();
    // The confirm button has focus: Enter activates it, as it does any focused button.
    const confirm = [...(dialog?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.includes("Confirmer l'approbation"));
    expect(document.activeElement).toBe(confirm);

    confirm?.click();
    await flushPromises();

    // The request's domain (lyon.fr, not verified yet) is verified with the approval unless the approver unticks it.
    expect(staffApi.approveRequest).toHaveBeenCalledWith('r1', true);
    expect(router.currentRoute.value.fullPath).toBe('/personnel/demandes/r2');
    expect(wrapper.text()).toContain("Demande approuvée : l'e-mail de définition du mot de passe est parti.");
    expect(staffApi.releaseClaim).not.toHaveBeenCalledWith('r1');
    expect(useQueueStore().items.map((item) => item.id)).toEqual(['r2', 'r3']);
  });

  it("offers to verify the request's domain with the approval, ticked by default, and approves without it once unticked", async () => {
    vi.mocked(staffApi.approveRequest).mockImplementation(async (id) => requestDetail(id, { status: 'approved', claimedByMe: false }));
    const { wrapper } = await openFromQueue('r1');
    const box = wrapper.find<HTMLInputElement>('#verify-domain');
    expect(box.element.checked).toBe(true);
    expect(wrapper.find('label[for="verify-domain"]').text()).toContain('Vérifier le domaine lyon.fr');
    expect(wrapper.text()).toContain('Non vérifié pour cet organisme');

    await box.setValue(false);
    await wrapper.findAll('button').find((b) => b.text() === 'Approuver')!.trigger('click');
    await flushPromises();
    expect(staffApi.approveRequest).toHaveBeenCalledWith('r1', false);
  });

  it('never offers to verify a free-mail domain, and says what it is', async () => {
    serveRequests();
    vi.mocked(staffApi.claimRequest).mockImplementation(async (id) =>
      requestDetail(id, { domainCheck: { domain: 'gmail.com', freeMail: true, verifiedForOrganisation: false, verifiedForOthers: [] } }),
    );
    const { wrapper } = await mountStaffApp('/personnel/demandes/r1', 'approver');
    await flushPromises();
    expect(wrapper.find('#verify-domain').exists()).toBe(false);
    expect(wrapper.text()).toContain('Messagerie grand public');
  });

  it('cancels the approval with Escape', async () => {
    await openFromQueue('r1');

    pressKey('a');
    await flushPromises();
    const dialog = document.querySelector('dialog');
    expect(dialog).not.toBeNull();
    // Escape on a modal <dialog> is the browser's "cancel" event.
    dialog?.dispatchEvent(new Event('cancel', { cancelable: true }));
    await flushPromises();

    expect(document.querySelector('dialog')).toBeNull();
    expect(staffApi.approveRequest).not.toHaveBeenCalled();
  });

  it('opens the reject dialog on r, and other shortcuts wait while it is open', async () => {
    vi.mocked(staffApi.listRejectionReasons).mockResolvedValue([{ id: 'm1', label: 'Adresse e-mail non professionnelle', active: true }]);
    const { router } = await openFromQueue('r2');

    pressKey('r');
    await flushPromises();
    const dialog = document.querySelector('dialog');
    expect(dialog?.textContent).toContain('Rejeter la demande');
    expect(staffApi.listRejectionReasons).toHaveBeenCalled();

    pressKey('n', dialog ?? document.body);
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/personnel/demandes/r2');
  });

  it('shows a request held by someone else read-only, without decision shortcuts', async () => {
    serveRequests();
    vi.mocked(staffApi.claimRequest).mockRejectedValue(
      failure(409, { error: 'claimed_by_other', message: "Cette demande est en cours d'examen par Paul Martin jusqu'à 14:05." }),
    );
    vi.mocked(staffApi.getRequest).mockResolvedValue(
      requestDetail('r2', { claimedByMe: false, claimedBy: 'Paul Martin', claimedUntil: '2026-03-05T13:05:00.000Z' }),
    );
    const { wrapper } = await mountStaffApp('/personnel/demandes/r2', 'approver');

    expect(staffApi.getRequest).toHaveBeenCalledWith('r2');
    expect(wrapper.text()).toContain("Cette demande est en cours d'examen par Paul Martin jusqu'à 14:05.");
    expect(wrapper.findAll('button').some((b) => b.text() === 'Approuver')).toBe(false);

    pressKey('a');
    await flushPromises();
    expect(document.querySelector('dialog')).toBeNull();
    expect(wrapper.text()).toContain('Cette demande ne peut pas être décidée ici');
  });

  it('says another approver must decide a request one typed oneself, with its decision buttons disabled and its shortcuts off', async () => {
    serveRequests();
    vi.mocked(staffApi.claimRequest).mockRejectedValue(
      failure(403, { error: 'own_entry', message: 'Vous avez saisi cette demande vous-même : un autre valideur doit la traiter.' }),
    );
    vi.mocked(staffApi.getRequest).mockResolvedValue(requestDetail('r2', { claimedByMe: false, enteredBy: 'Test Approver', enteredByMe: true, channel: 'phone' }));
    const { wrapper } = await mountStaffApp('/personnel/demandes/r2', 'approver');

    expect(wrapper.text()).not.toContain("La demande n'a pas pu être ouverte");
    const notice = wrapper.get('#own-entry-notice');
    expect(notice.text()).toContain('Un autre valideur doit décider');
    expect(notice.text()).toContain('Vous avez saisi cette demande');
    for (const label of ['Approuver', 'Rejeter']) {
      const button = wrapper.findAll('button').find((b) => b.text() === label);
      expect(button?.attributes('disabled'), label).toBeDefined();
      expect(button?.attributes('aria-describedby'), label).toBe('own-entry-notice');
    }

    pressKey('a');
    await flushPromises();
    pressKey('r');
    await flushPromises();
    expect(document.querySelector('dialog')).toBeNull();
    expect(staffApi.approveRequest).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('Vous avez saisi cette demande : un autre valideur doit la décider.');
  });

  it('shows a decision taken meanwhile by someone else, and the request as it now stands', async () => {
    const { wrapper } = await openFromQueue('r1');
    vi.mocked(staffApi.approveRequest).mockRejectedValue(
      failure(409, { error: 'already_decided', message: 'Cette demande a déjà été traitée : rejetée le 05/03/2026 14:00 par Paul Martin.' }),
    );
    vi.mocked(staffApi.getRequest).mockResolvedValue(
      requestDetail('r1', { status: 'rejected', claimedByMe: false, decidedBy: 'Paul Martin', rejection: { reason: 'Doublon', comment: '' } }),
    );

    await wrapper.findAll('button').find((b) => b.text() === 'Approuver')?.trigger('click');
    await flushPromises();

    expect(wrapper.text()).toContain('Cette demande a déjà été traitée : rejetée le 05/03/2026 14:00 par Paul Martin.');
    expect(wrapper.text()).toContain('Motif du rejet');
    expect(wrapper.findAll('button').some((b) => b.text() === 'Approuver')).toBe(false);
  });

  it('keeps the request open when the service refuses the approval for another reason', async () => {
    const { wrapper, router } = await openFromQueue('r1');
    vi.mocked(staffApi.approveRequest).mockRejectedValue(
      failure(409, { error: 'account_exists', message: 'Un compte existe déjà pour l\'adresse marie.r1@exemple.fr : rejetez cette demande comme doublon.' }),
    );

    await wrapper.findAll('button').find((b) => b.text() === 'Approuver')?.trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.fullPath).toBe('/personnel/demandes/r1');
    expect(wrapper.text()).toContain('rejetez cette demande comme doublon');
    expect(wrapper.text()).not.toContain('Demande en lecture seule');
    expect(wrapper.findAll('button').some((b) => b.text() === 'Rejeter')).toBe(true);
  });

  it('releases the claim when the approver leaves the page', async () => {
    const { router } = await openFromQueue('r2');

    await router.push('/personnel/file');
    await flushPromises();

    expect(staffApi.releaseClaim).toHaveBeenCalledWith('r2');
  });

  it('only reads the request for an agent, who never claims it', async () => {
    serveRequests();
    const { wrapper } = await mountStaffApp('/personnel/demandes/r2', 'agent');

    expect(staffApi.claimRequest).not.toHaveBeenCalled();
    expect(staffApi.getRequest).toHaveBeenCalledWith('r2');
    expect(wrapper.find('#request-shortcuts').exists()).toBe(false);
    expect(wrapper.text()).toContain('Cheffe de projet');
  });
});
