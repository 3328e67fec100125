import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as staffApi from '../../src-renderer/services/staff-api.js';
import { failure, settle } from './helpers.js';
import { mountStaffApp, queueItem, requestDetail } from './staff-fixtures.js';

vi.mock('../../src-renderer/services/api.js');
vi.mock('../../src-renderer/services/staff-api.js');

enableAutoUnmount(afterEach);

const INVITED_HISTORY = [
  { at: '2026-03-02T09:00:00.000Z', actor: 'applicant', actorName: 'Demandeur', action: 'submitted', label: 'Demande déposée', details: {} },
  { at: '2026-03-03T09:00:00.000Z', actor: 'u1', actorName: 'Paul Martin', action: 'approved', label: 'Demande approuvée', details: {} },
  { at: '2026-03-03T09:00:00.000Z', actor: 'system', actorName: 'Système', action: 'invited', label: 'Invitation à définir le mot de passe envoyée', details: {} },
];

function button(wrapper: { findAll: (s: string) => { text: () => string; trigger: (e: string) => Promise<void> }[] }, label: string) {
  return wrapper.findAll('button').find((b) => b.text() === label);
}

describe('search', () => {
  it('searches from the address, shows statuses in French and links each request', async () => {
    vi.mocked(staffApi.searchStaff).mockResolvedValue({
      registrations: [
        { ...queueItem('r1', { status: 'approved' }), accountId: 'a1', accountStatus: 'invited' },
        { ...queueItem('r2', { status: 'cancelled' }), accountId: null, accountStatus: null },
      ],
      accounts: [
        { id: 'a1', email: 'marie.r1@exemple.fr', firstName: 'Marie', lastName: 'Dupont', role: 'partner', status: 'locked', createdAt: '2026-03-03T09:00:00.000Z' },
      ],
    });
    const { wrapper } = await mountStaffApp('/personnel/recherche?q=dupont', 'agent');

    expect(staffApi.searchStaff).toHaveBeenCalledWith('dupont');
    expect((wrapper.get('#staff-search-q').element as HTMLInputElement).value).toBe('dupont');
    const rows = wrapper.findAll('tbody tr').map((row) => row.findAll('td').map((cell) => cell.text()));
    expect(rows[0]?.[5]).toBe('Approuvée');
    expect(rows[0]?.[6]).toBe('Invitation envoyée, mot de passe non défini');
    expect(rows[1]?.[5]).toBe('Annulée');
    expect(rows[2]?.[3]).toBe('Verrouillé');
    expect(wrapper.get('tbody a').attributes('href')).toBe('/personnel/demandes/r1');
  });

  it('puts the query in the address on submit, and checks it first', async () => {
    vi.mocked(staffApi.searchStaff).mockResolvedValue({ registrations: [], accounts: [] });
    const { wrapper, router } = await mountStaffApp('/personnel/recherche', 'agent');

    await wrapper.get('#staff-search-q').setValue('d');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('#staff-search-q-messages').text()).toBe('Saisissez au moins 2 caractères.');
    expect(staffApi.searchStaff).not.toHaveBeenCalled();

    await wrapper.get('#staff-search-q').setValue('dupont@lyon.fr');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(router.currentRoute.value.query.q).toBe('dupont@lyon.fr');
    expect(staffApi.searchStaff).toHaveBeenCalledWith('dupont@lyon.fr');
    expect(wrapper.text()).toContain('Aucune demande ne correspond.');
  });
});

describe('help-desk actions on a request', () => {
  it('resends the invitation of an approved request whose password is not set yet, and shows a refusal', async () => {
    vi.mocked(staffApi.getRequest).mockResolvedValue(requestDetail('r1', { status: 'approved', claimedByMe: false, history: INVITED_HISTORY, accountStatus: 'invited' }));
    vi.mocked(staffApi.resendInvitation)
      .mockResolvedValueOnce({ message: "L'invitation a été renvoyée : un nouveau lien de définition du mot de passe vient de partir." })
      .mockRejectedValueOnce(failure(429, { error: 'invitation_limit', message: '4 invitations ont déjà été envoyées à cette adresse en 24 heures.' }));
    const { wrapper } = await mountStaffApp('/personnel/demandes/r1', 'agent');

    expect(wrapper.text()).toContain('Invitation à définir le mot de passe envoyée');
    await button(wrapper, "Renvoyer l'invitation")?.trigger('click');
    await flushPromises();
    expect(staffApi.resendInvitation).toHaveBeenCalledWith('r1');
    expect(wrapper.text()).toContain("L'invitation a été renvoyée");
    expect(staffApi.getRequest).toHaveBeenCalledTimes(2);

    await button(wrapper, "Renvoyer l'invitation")?.trigger('click');
    await flushPromises();
    expect(wrapper.text()).toContain('4 invitations ont déjà été envoyées à cette adresse en 24 heures.');
  });

  it('offers no resend once the password is set', async () => {
    const history = [
      ...INVITED_HISTORY,
      { at: '2026-03-04T09:00:00.000Z', actor: 'applicant', actorName: 'Demandeur', action: 'password_set', label: 'Mot de passe défini : compte actif', details: {} },
    ];
    vi.mocked(staffApi.getRequest).mockResolvedValue(requestDetail('r1', { status: 'approved', claimedByMe: false, history, accountStatus: 'active' }));
    const { wrapper } = await mountStaffApp('/personnel/demandes/r1', 'agent');

    expect(button(wrapper, "Renvoyer l'invitation")).toBeUndefined();
  });

  it('cancels a pending request after a confirmation, phone registrations showing who entered them', async () => {
    vi.mocked(staffApi.getRequest).mockResolvedValue(
      requestDetail('r1', { claimedByMe: false, channel: 'phone', enteredBy: 'Alice Agent' }),
    );
    vi.mocked(staffApi.cancelRequest).mockResolvedValue(requestDetail('r1', { status: 'cancelled', claimedByMe: false }));
    const { wrapper } = await mountStaffApp('/personnel/demandes/r1', 'agent');

    expect(wrapper.text()).toContain('Téléphone — saisi par Alice Agent');
    await button(wrapper, 'Annuler la demande')?.trigger('click');
    await flushPromises();
    expect(staffApi.cancelRequest).not.toHaveBeenCalled();
    const confirm = wrapper.get('dialog').findAll('button').find((b) => b.text() === "Confirmer l'annulation");
    await confirm?.trigger('click');
    await flushPromises();

    expect(staffApi.cancelRequest).toHaveBeenCalledWith('r1');
    expect(wrapper.text()).toContain('Demande annulée');
    expect(button(wrapper, 'Annuler la demande')).toBeUndefined();
  });

  it('flags a possible duplicate among the related records', async () => {
    vi.mocked(staffApi.getRequest).mockResolvedValue(
      requestDetail('r1', {
        claimedByMe: false,
        duplicateFlag: true,
        related: [
          { kind: 'account', id: 'a9', email: 'marie.r1@exemple.fr', name: 'Marie Dupont', siren: '216901231', status: 'active', createdAt: '2025-01-01T00:00:00.000Z', sameEmail: true },
          { kind: 'registration', id: 'r7', email: 'paul@lyon.fr', name: 'Paul Martin', siren: '216901231', status: 'pending', createdAt: '2026-01-01T00:00:00.000Z', sameEmail: false },
        ],
      }),
    );
    const { wrapper } = await mountStaffApp('/personnel/demandes/r1', 'agent');

    expect(wrapper.text()).toContain('Doublon possible');
    const rows = wrapper.findAll('#request-related-title ~ div tbody tr').map((row) => row.findAll('td').map((cell) => cell.text()));
    expect(rows[0]).toEqual(['Compte', 'Marie Dupont', 'marie.r1@exemple.fr', '216 901 231', 'Actif', '01/01/2025', 'Même adresse e-mail']);
    expect(rows[1]?.[4]).toBe('En attente');
    expect(rows[1]?.[6]).toBe('Même organisme');
  });
});

describe('administration', () => {
  it('creates a staff account with a role and says an invitation left', async () => {
    vi.mocked(staffApi.listStaffAccounts).mockResolvedValue([]);
    vi.mocked(staffApi.listRejectionReasons).mockResolvedValue([]);
    vi.mocked(staffApi.createStaffAccount).mockResolvedValue({
      id: 's1', email: 'alice@anru.fr', firstName: 'Alice', lastName: 'Agent', role: 'agent', status: 'invited', createdAt: '2026-03-05T10:00:00.000Z',
    });
    const { wrapper } = await mountStaffApp('/personnel/administration', 'admin');

    await wrapper.get('#staff-email').setValue('Alice@ANRU.fr');
    await wrapper.get('#staff-first-name').setValue('Alice');
    await wrapper.get('#staff-last-name').setValue('Agent');
    await wrapper.get('#staff-role-agent').trigger('click');
    await wrapper.get('#staff-email').element.closest('form')?.dispatchEvent(new Event('submit'));
    await settle();

    expect(staffApi.createStaffAccount).toHaveBeenCalledWith({ email: 'alice@anru.fr', firstName: 'Alice', lastName: 'Agent', role: 'agent' });
    expect(wrapper.text()).toContain('Compte créé : un e-mail invite la personne à définir son mot de passe.');
    expect(wrapper.text()).toContain("Agent d'accueil");
  });

  it('deactivates a rejection reason', async () => {
    vi.mocked(staffApi.listStaffAccounts).mockResolvedValue([]);
    vi.mocked(staffApi.listRejectionReasons).mockResolvedValue([{ id: 'm1', label: 'Doublon', active: true }]);
    vi.mocked(staffApi.updateRejectionReason).mockResolvedValue({ id: 'm1', label: 'Doublon', active: false });
    const { wrapper } = await mountStaffApp('/personnel/administration', 'admin');

    await button(wrapper, 'Désactiver le motif « Doublon »')?.trigger('click');
    await flushPromises();

    expect(staffApi.updateRejectionReason).toHaveBeenCalledWith('m1', { label: 'Doublon', active: false });
    expect(wrapper.text()).toContain('Inactif');
  });
});
