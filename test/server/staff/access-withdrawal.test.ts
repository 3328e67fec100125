import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken, randomToken } from '../../../server/shared/secrets.js';
import { setPasswordLink, tokenOf } from '../../support/mail-drop.js';
import { personWithRole, STAFF_PASSWORD, type Person } from '../../support/staff.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let admin: Person;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  admin = await personWithRole(t.app, 'admin', 'ada');
});
afterEach(async () => {
  await t.close();
});

function act(who: Person, url: string, payload?: object) {
  return t.app.inject({ method: 'POST', url, cookies: who.cookies, ...(payload ? { payload } : {}) });
}

/** A staff route any staff member may call: tells whether a session still opens the staff side. */
function search(who: Person) {
  return t.app.inject({ method: 'GET', url: '/api/staff/search?q=dupont', cookies: who.cookies });
}

function signIn(email: string, password = STAFF_PASSWORD) {
  return t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
}

async function auditOf(subjectId: string) {
  const rows = await t.app.ctx.db.selectFrom('audit_events').selectAll().where('subject_id', '=', subjectId).orderBy('at').execute();
  return rows.map((r) => ({ actor: r.actor, action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
}

async function statusOf(id: string) {
  return (await t.app.ctx.db.selectFrom('accounts').select(['status', 'role']).where('id', '=', id).executeTakeFirstOrThrow());
}

const LAST_ADMIN = /dernier administrateur actif/;

describe('withdrawing a staff member\'s access', () => {
  it('disabling ends the live session at once and refuses sign-in; the audit names the admin and the reason', async () => {
    const agent = await personWithRole(t.app, 'agent', 'agnes');
    expect((await search(agent)).statusCode).toBe(200);

    const res = await act(admin, `/api/staff/accounts/${agent.id}/disable`, { reason: 'Départ de la structure' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: agent.id, status: 'disabled', role: 'agent' });

    const refused = await search(agent);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/Connectez-vous/);
    expect((await signIn(agent.email)).statusCode).toBe(401);
    expect(await t.app.ctx.db.selectFrom('sessions').select('id').where('account_id', '=', agent.id).execute()).toEqual([]);
    expect(await auditOf(agent.id)).toEqual([
      { actor: admin.id, action: 'staff_disabled', details: { before: 'active', after: 'disabled', reason: 'Départ de la structure', sessionsEnded: 1 } },
    ]);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/staff/accounts', cookies: admin.cookies })).json();
    expect(listed.find((a: { id: string }) => a.id === agent.id)).toMatchObject({ status: 'disabled' });
  });

  it('refuses a disabled account\'s session at once, even one opened while it was being disabled', async () => {
    const agent = await personWithRole(t.app, 'agent', 'agnes');
    await act(admin, `/api/staff/accounts/${agent.id}/disable`, { reason: 'Départ de la structure' });
    // A sign-in that read the account just before it was disabled writes its session just after.
    const token = randomToken();
    const now = t.clock.now();
    await t.app.ctx.db
      .insertInto('sessions')
      .values({ id: randomUUID(), token_hash: hashToken(token), account_id: agent.id, created_at: now.toISOString(), expires_at: new Date(now.getTime() + 3_600_000).toISOString() })
      .execute();
    expect((await search({ ...agent, cookies: { guichet_session: token } })).statusCode).toBe(401);
  });

  it('makes the set-password link sent before the withdrawal worthless', async () => {
    const created = await act(admin, '/api/staff/accounts', { email: 'nina.valide@anru.fr', firstName: 'Nina', lastName: 'Valide', role: 'approver' });
    const id = created.json().id as string;
    const [mail] = await t.deliverAndRead();
    const token = tokenOf(setPasswordLink(mail!));

    expect((await act(admin, `/api/staff/accounts/${id}/disable`, { reason: 'Recrutement annulé' })).json()).toMatchObject({ status: 'disabled' });
    const set = await t.app.inject({ method: 'POST', url: '/api/password', payload: { token, password: 'Examiner-Les-Demandes-9', confirmation: 'Examiner-Les-Demandes-9' } });
    expect(set.statusCode).toBe(410);
    expect(await statusOf(id)).toMatchObject({ status: 'disabled' });
  });

  it('cannot be undone by the person through « mot de passe oublié »: no link is sent, and the account stays disabled', async () => {
    const agent = await personWithRole(t.app, 'agent', 'agnes');
    await act(admin, `/api/staff/accounts/${agent.id}/disable`, { reason: 'Départ de la structure' });

    const asked = await t.app.inject({ method: 'POST', url: '/api/password/new-link', payload: { email: agent.email } });
    expect(asked.statusCode).toBe(202);
    const mails = await t.deliverAndRead();
    for (const mail of mails) {
      const set = await t.app.inject({
        method: 'POST',
        url: '/api/password',
        payload: { token: tokenOf(setPasswordLink(mail)), password: 'Examiner-Les-Demandes-9', confirmation: 'Examiner-Les-Demandes-9' },
      });
      expect(set.statusCode).not.toBe(200);
    }
    expect(mails).toEqual([]);
    expect(await statusOf(agent.id)).toMatchObject({ status: 'disabled' });
    expect((await signIn(agent.email, 'Examiner-Les-Demandes-9')).statusCode).toBe(401);
  });

  it('re-enabling gives the access back: active with a password, invited without', async () => {
    const agent = await personWithRole(t.app, 'agent', 'agnes');
    const invited = (await act(admin, '/api/staff/accounts', { email: 'nina.valide@anru.fr', firstName: 'Nina', lastName: 'Valide', role: 'approver' })).json();
    for (const id of [agent.id, invited.id as string]) await act(admin, `/api/staff/accounts/${id}/disable`, { reason: 'Absence longue' });

    const back = await act(admin, `/api/staff/accounts/${agent.id}/enable`, { reason: 'Retour de congé' });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ status: 'active' });
    expect((await signIn(agent.email)).statusCode).toBe(200);
    expect((await act(admin, `/api/staff/accounts/${invited.id}/enable`, { reason: 'Recrutement confirmé' })).json()).toMatchObject({ status: 'invited' });

    const again = await act(admin, `/api/staff/accounts/${agent.id}/enable`, { reason: 'Retour de congé' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/n'est pas désactivé/);
    expect((await auditOf(agent.id)).map((e) => `${e.action} ${String(e.details.reason)}`)).toEqual(['staff_disabled Absence longue', 'staff_enabled Retour de congé']);
  });

  it('ending a person\'s sessions signs them out everywhere and leaves everyone else signed in', async () => {
    const agent = await personWithRole(t.app, 'agent', 'agnes');
    const second = await signIn(agent.email);
    const secondCookie = { guichet_session: second.cookies.find((c) => c.name === 'guichet_session')!.value };
    const colleague = await personWithRole(t.app, 'agent', 'paul');

    const res = await act(admin, `/api/staff/accounts/${agent.id}/end-sessions`, { reason: 'Poste perdu' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ended: 2, message: '2 sessions fermées : la personne doit se reconnecter.' });
    expect((await search(agent)).statusCode).toBe(401);
    expect((await search({ ...agent, cookies: secondCookie })).statusCode).toBe(401);
    expect((await search(colleague)).statusCode).toBe(200);
    expect(await statusOf(agent.id)).toMatchObject({ status: 'active' });
    expect((await signIn(agent.email)).statusCode).toBe(200);
    expect(await auditOf(agent.id)).toEqual([{ actor: admin.id, action: 'staff_sessions_ended', details: { reason: 'Poste perdu', sessionsEnded: 2 } }]);
  });

  it('changes a role, effective on the next request, audited with before and after', async () => {
    const agent = await personWithRole(t.app, 'agent', 'agnes');
    expect((await t.app.inject({ method: 'GET', url: '/api/staff/queue', cookies: agent.cookies })).statusCode).toBe(403);

    const res = await act(admin, `/api/staff/accounts/${agent.id}/role`, { role: 'approver', reason: 'Nommée valideuse' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'approver', status: 'active' });
    expect((await t.app.inject({ method: 'GET', url: '/api/staff/queue', cookies: agent.cookies })).statusCode).toBe(200);
    expect(await auditOf(agent.id)).toEqual([
      { actor: admin.id, action: 'staff_role_changed', details: { before: 'agent', after: 'approver', reason: 'Nommée valideuse' } },
    ]);

    const same = await act(admin, `/api/staff/accounts/${agent.id}/role`, { role: 'approver', reason: 'Nommée valideuse' });
    expect(same.statusCode).toBe(409);
    const partnerRole = await act(admin, `/api/staff/accounts/${agent.id}/role`, { role: 'partner', reason: 'Changement' });
    expect(partnerRole.statusCode).toBe(400);
    expect(partnerRole.json().fields.role).toBe('Le rôle doit être agent, valideur ou administrateur.');
    const noReason = await act(admin, `/api/staff/accounts/${agent.id}/disable`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields.reason).toBe('Indiquez la raison de ce changement.');
  });

  it('touches staff accounts only: a partner account is not found here', async () => {
    const partner = await personWithRole(t.app, 'partner');
    for (const [action, payload] of [
      ['disable', { reason: 'Essai sur un partenaire' }],
      ['enable', { reason: 'Essai sur un partenaire' }],
      ['end-sessions', { reason: 'Essai sur un partenaire' }],
      ['role', { role: 'admin', reason: 'Essai sur un partenaire' }],
    ] as const) {
      const res = await act(admin, `/api/staff/accounts/${partner.id}/${action}`, payload);
      expect(res.statusCode, action).toBe(404);
      expect(res.json().message).toBe("Ce compte du personnel n'existe pas.");
    }
    expect(await statusOf(partner.id)).toEqual({ status: 'active', role: 'partner' });
  });
});

describe('the last admin', () => {
  it('cannot be disabled or demoted, not even by themselves; with a second admin, one may go', async () => {
    const selfDisable = await act(admin, `/api/staff/accounts/${admin.id}/disable`, { reason: 'Je pars' });
    expect(selfDisable.statusCode).toBe(409);
    expect(selfDisable.json().message).toMatch(LAST_ADMIN);
    const selfDemote = await act(admin, `/api/staff/accounts/${admin.id}/role`, { role: 'approver', reason: 'Je change de poste' });
    expect(selfDemote.statusCode).toBe(409);
    expect(selfDemote.json().message).toMatch(LAST_ADMIN);
    expect(await statusOf(admin.id)).toEqual({ status: 'active', role: 'admin' });

    // An invited admin cannot sign in yet: it does not count.
    await act(admin, '/api/staff/accounts', { email: 'invite.admin@anru.fr', firstName: 'Ines', lastName: 'Vitee', role: 'admin' });
    expect((await act(admin, `/api/staff/accounts/${admin.id}/disable`, { reason: 'Je pars' })).statusCode).toBe(409);

    const second = await personWithRole(t.app, 'admin', 'bruno');
    const demoted = await act(admin, `/api/staff/accounts/${admin.id}/role`, { role: 'approver', reason: 'Je change de poste' });
    expect(demoted.statusCode).toBe(200);
    // Ada is an approver now: the admin routes are closed to her at once.
    expect((await t.app.inject({ method: 'GET', url: '/api/staff/accounts', cookies: admin.cookies })).statusCode).toBe(403);
    const last = await act(second, `/api/staff/accounts/${second.id}/disable`, { reason: 'Je pars aussi' });
    expect(last.statusCode).toBe(409);
  });

  it('survives two admins demoting, or disabling, each other at the same moment: one admin is left', async () => {
    let survivor = admin;
    for (let round = 0; round < 6; round++) {
      const other = await personWithRole(t.app, 'admin', `autre${round}`);
      const [a, b] =
        round % 2 === 0
          ? await Promise.all([
              act(survivor, `/api/staff/accounts/${other.id}/role`, { role: 'agent', reason: 'Réorganisation' }),
              act(other, `/api/staff/accounts/${survivor.id}/role`, { role: 'agent', reason: 'Réorganisation' }),
            ])
          : await Promise.all([
              act(survivor, `/api/staff/accounts/${other.id}/disable`, { reason: 'Réorganisation' }),
              act(other, `/api/staff/accounts/${survivor.id}/disable`, { reason: 'Réorganisation' }),
            ]);
      const statuses = [a.statusCode, b.statusCode];
      // The slower one is refused as the last admin, or no longer is an admin by the time it is checked.
      expect(statuses.filter((s) => s === 200), `round ${round}: ${statuses.join(', ')}`).toHaveLength(1);
      const admins = await t.app.ctx.db.selectFrom('accounts').select('id').where('role', '=', 'admin').where('status', '=', 'active').execute();
      expect(admins, `round ${round}`).toHaveLength(1);
      survivor = admins[0]!.id === survivor.id ? survivor : other;
    }
  });
});
