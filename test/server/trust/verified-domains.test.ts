import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTCOME_MESSAGES } from '../../../server/registrations/registrations.service.js';
import { withDatabaseAt } from '../../support/older-database.js';
import { personWithRole, type Person } from '../../support/staff.js';
import { addUntrustedOrganisation, newCaptcha, startTestApp, TRUSTED_SIREN, UNTRUSTED_ORGANISATION, validRegistration, type TestApp } from '../../support/test-app.js';
import { migrateToLatest } from '../../../server/db/migrate.js';

let t: TestApp;
let approver: Person;
let admin: Person;

beforeEach(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await addUntrustedOrganisation(t.app);
  approver = await personWithRole(t.app, 'approver');
  admin = await personWithRole(t.app, 'admin');
});
afterEach(async () => {
  await t.close();
});

async function register(email: string, siren = TRUSTED_SIREN) {
  const res = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email, siren, captchaId: await newCaptcha(t.app) }) });
  expect(res.statusCode).toBe(202);
  return res.json() as { outcome: string; message: string };
}

const storedRequest = (email: string) => t.app.ctx.db.selectFrom('registrations').selectAll().where('email', '=', email).executeTakeFirstOrThrow();

function as(person: Person, method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, cookies: person.cookies, ...(payload ? { payload } : {}) });
}

const domainsUrl = (siren: string) => `/api/staff/organisations/${siren}/domains`;

describe('trust needs a verified email domain', () => {
  it('a trusted organisation with an unverified domain waits, the reason stored for the approver and the applicant told nothing more', async () => {
    const bot = await register('bot.4821@example.org');
    expect(bot.outcome).toBe('pending_approval');
    const stored = await storedRequest('bot.4821@example.org');
    expect(stored).toMatchObject({ status: 'pending', trusted: 0, account_id: null });
    expect(stored.trust_reason).toContain("le domaine example.org n'est pas vérifié pour cet organisme");
    // Same words as a request from an organisation outside the trust domain: nothing tells a script which one it met.
    const outsider = await register('claire@quartiers-solidaires.org', UNTRUSTED_ORGANISATION.siren);
    expect(bot).toEqual(outsider);
    expect(bot.message).toBe(OUTCOME_MESSAGES.pending_approval);
    expect(bot.message).not.toMatch(/domaine|vérifi/i);
    expect(await t.app.ctx.db.selectFrom('accounts').select('id').where('email', '=', 'bot.4821@example.org').executeTakeFirst()).toBeUndefined();
  });

  it('a verified domain of a trusted organisation skips approval, as the seed says', async () => {
    expect((await register('claire.martin@saint-etienne.fr')).outcome).toBe('invitation_sent');
    expect((await storedRequest('claire.martin@saint-etienne.fr')).trust_reason).toMatch(/domaine saint-etienne\.fr vérifié pour cet organisme/);
    // A subdomain is another domain: it proves nothing until verified itself.
    expect((await register('x@mairie.saint-etienne.fr')).outcome).toBe('pending_approval');
  });

  it('a free-mail address never passes, and its domain can never be verified', async () => {
    expect((await register('claire.martin42@gmail.com')).outcome).toBe('pending_approval');
    expect((await storedRequest('claire.martin42@gmail.com')).trust_reason).toMatch(/gmail\.com est une messagerie grand public/);
    for (const domain of ['gmail.com', 'orange.fr', 'wanadoo.fr', 'laposte.net', 'hotmail.co.uk', 'yahoo.fr', 'bbox.fr', '@Free.FR']) {
      const res = await as(admin, 'POST', domainsUrl(TRUSTED_SIREN), { domain, reason: 'Tentative de vérification' });
      expect(res.statusCode, domain).toBe(400);
      expect(res.json()).toMatchObject({ error: 'free_mail_domain', message: expect.stringMatching(/messagerie grand public/) });
    }
    const request = await storedRequest('claire.martin42@gmail.com');
    const refused = await as(approver, 'POST', `/api/staff/requests/${request.id}/approve`, { verifyDomain: true });
    expect(refused.json()).toMatchObject({ error: 'free_mail_domain' });
    // Refused as a whole: neither approved nor verified.
    expect((await storedRequest('claire.martin42@gmail.com')).status).toBe('pending');
    expect(await t.app.ctx.db.selectFrom('organisation_domains').select('domain').where('domain', '=', 'gmail.com').execute()).toEqual([]);
  });

  it('approving with "verify the domain" lets the next colleague through on their own', async () => {
    await register('premier@ville-test.fr');
    const first = await storedRequest('premier@ville-test.fr');
    const detail = (await as(approver, 'POST', `/api/staff/requests/${first.id}/claim`)).json();
    expect(detail.domainCheck).toEqual({ domain: 'ville-test.fr', freeMail: false, verifiedForOrganisation: false, verifiedForOthers: [] });
    const approved = await as(approver, 'POST', `/api/staff/requests/${first.id}/approve`, { verifyDomain: true });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', domainCheck: { verifiedForOrganisation: true } });
    const verified = await t.app.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'domain_verified').execute();
    expect(verified).toHaveLength(1);
    expect(verified[0]).toMatchObject({ actor: approver.id, subject_type: 'organisation', subject_id: TRUSTED_SIREN });
    expect(JSON.parse(verified[0]!.details)).toMatchObject({ domain: 'ville-test.fr', reason: expect.stringContaining('premier@ville-test.fr') });

    expect((await register('collegue@ville-test.fr')).outcome).toBe('invitation_sent');
  });

  it('approving without the option (no body at all, as before) verifies nothing', async () => {
    await register('seul@ville-test.fr');
    const request = await storedRequest('seul@ville-test.fr');
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/requests/${request.id}/approve`, cookies: approver.cookies })).statusCode).toBe(200);
    expect((await register('autre@ville-test.fr')).outcome).toBe('pending_approval');
  });

  it('admins add and remove domains with a reason, audited; approvers read them; removal ends the trust', async () => {
    const forbidden = await as(approver, 'POST', domainsUrl(TRUSTED_SIREN), { domain: 'ville-test.fr', reason: 'Vérifié par téléphone' });
    expect(forbidden.statusCode).toBe(403);
    const noReason = await as(admin, 'POST', domainsUrl(TRUSTED_SIREN), { domain: 'ville-test.fr', reason: '' });
    expect(noReason.json().fields.reason).toMatch(/vérifié/);
    const badDomain = await as(admin, 'POST', domainsUrl(TRUSTED_SIREN), { domain: 'pas un domaine', reason: 'Vérifié par téléphone' });
    expect(badDomain.json().fields.domain).toMatch(/saint-etienne\.fr/);
    const unknown = await as(admin, 'POST', domainsUrl('356000000'), { domain: 'laposte.fr', reason: 'Vérifié par téléphone' });
    expect(unknown.statusCode).toBe(404);

    const added = await as(admin, 'POST', domainsUrl(TRUSTED_SIREN), { domain: ' @Ville-Test.FR ', reason: 'Vérifié auprès de la DSI de la ville' });
    expect(added.statusCode).toBe(201);
    expect(added.json().map((d: { domain: string }) => d.domain)).toEqual(['saint-etienne.fr', 'ville-test.fr']);
    expect((await as(admin, 'POST', domainsUrl(TRUSTED_SIREN), { domain: 'ville-test.fr', reason: 'Encore une fois' })).statusCode).toBe(409);
    const listed = (await as(approver, 'GET', domainsUrl(TRUSTED_SIREN))).json();
    expect(listed).toContainEqual(expect.objectContaining({ domain: 'ville-test.fr', reason: 'Vérifié auprès de la DSI de la ville', verifiedBy: 'Test Admin' }));
    expect((await register('a@ville-test.fr')).outcome).toBe('invitation_sent');

    expect((await as(approver, 'POST', `${domainsUrl(TRUSTED_SIREN)}/remove`, { domain: 'ville-test.fr', reason: 'Domaine cédé' })).statusCode).toBe(403);
    const removed = await as(admin, 'POST', `${domainsUrl(TRUSTED_SIREN)}/remove`, { domain: 'ville-test.fr', reason: 'Domaine cédé à un tiers' });
    expect(removed.statusCode).toBe(204);
    expect((await as(admin, 'POST', `${domainsUrl(TRUSTED_SIREN)}/remove`, { domain: 'ville-test.fr', reason: 'Domaine cédé à un tiers' })).statusCode).toBe(404);
    expect((await register('b@ville-test.fr')).outcome).toBe('pending_approval');
    const events = await t.app.ctx.db.selectFrom('audit_events').select(['action', 'actor', 'details']).where('subject_type', '=', 'organisation').orderBy('id').execute();
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['domain_verified', admin.id],
      ['domain_removed', admin.id],
    ]);
    expect(JSON.parse(events[1]!.details)).toMatchObject({ domain: 'ville-test.fr', reason: 'Domaine cédé à un tiers' });
  });

  it("shows the approver a domain verified for another organisation when a request uses it", async () => {
    await as(admin, 'POST', domainsUrl(UNTRUSTED_ORGANISATION.siren), { domain: 'quartiers-solidaires.org', reason: "Site et messagerie de l'association" });
    await register('claire@quartiers-solidaires.org');
    const request = await storedRequest('claire@quartiers-solidaires.org');
    expect(request.status).toBe('pending');
    const detail = (await as(approver, 'GET', `/api/staff/requests/${request.id}`)).json();
    expect(detail.domainCheck).toEqual({
      domain: 'quartiers-solidaires.org',
      freeMail: false,
      verifiedForOrganisation: false,
      verifiedForOthers: [{ siren: UNTRUSTED_ORGANISATION.siren, name: UNTRUSTED_ORGANISATION.name }],
    });
  });
});

describe('TRUST_BY_ORGANISATION_ONLY', () => {
  it("brings back the seed's older rule: the organisation alone decides", async () => {
    const legacy = await startTestApp({ TRUST_BY_ORGANISATION_ONLY: 'true' });
    try {
      const res = await legacy.app.inject({
        method: 'POST',
        url: '/api/registrations',
        payload: validRegistration({ email: 'bot@example.org', captchaId: await newCaptcha(legacy.app) }),
      });
      expect(res.json().outcome).toBe('invitation_sent');
      const stored = await legacy.app.ctx.db.selectFrom('registrations').select('trust_reason').where('email', '=', 'bot@example.org').executeTakeFirstOrThrow();
      expect(stored.trust_reason).toMatch(/non contrôlé/);
    } finally {
      await legacy.close();
    }
  });
});

describe('upgrade', () => {
  it('keeps the requests an earlier version trusted as they were, and starts with no verified domain', async () => {
    await withDatabaseAt('2026-12-07-newest-first-indexes', async (db) => {
      const row = {
        id: '0192f1a0-0000-7000-8000-000000000001',
        created_at: '2026-12-01T09:00:00.000Z',
        status: 'approved',
        channel: 'web',
        civility: 'Mme',
        last_name: 'Martin',
        first_name: 'Claire',
        job_title: 'Cheffe de projet',
        quartiers_fertiles: 0,
        siren: TRUSTED_SIREN,
        organisation_name: 'Saint-Étienne',
        email: 'bot@example.org',
        phone: '+33477487748',
        trusted: 1,
        trust_rule_id: null,
        trust_reason: 'Catégorie juridique 7210',
        decided_at: '2026-12-01T09:00:00.000Z',
        account_id: null,
        entered_by: null,
        claimed_by: null,
        claimed_until: null,
        decided_by: null,
        rejection_reason: null,
        rejection_comment: null,
        idempotency_key: null,
      } as const;
      await db.insertInto('registrations').values(row).execute();
      await migrateToLatest(db);
      expect(await db.selectFrom('registrations').selectAll().execute()).toEqual([
        { ...row, idempotency_scope: null, idempotency_body_hash: null, off_directory: 0, organisation_commune: null },
      ]);
      expect(await db.selectFrom('organisation_domains').selectAll().execute()).toEqual([]);
    });
  });
});

describe('npm run admin -- import-domains', () => {
  const run = promisify(execFile);

  it('verifies the domains of a siren;domain file and names each line it refuses', async () => {
    const file = path.join(t.dataDir, 'domaines.csv');
    fs.writeFileSync(
      file,
      [
        'siren;domaine',
        `${TRUSTED_SIREN};ville-test.fr`,
        `${TRUSTED_SIREN};saint-etienne.fr`,
        `${UNTRUSTED_ORGANISATION.siren};quartiers-solidaires.org`,
        `${TRUSTED_SIREN};gmail.com`,
        '356000000;laposte.fr',
        '123456789;exemple.fr',
        `${TRUSTED_SIREN};pas un domaine`,
      ].join('\r\n'),
    );
    const env = { ...process.env, DATABASE_URL: t.app.ctx.config.databaseUrl, DATA_DIR: t.dataDir };
    const failed = await run('npx', ['tsx', 'scripts/admin.ts', 'import-domains', '--file', file, '--reason', 'Annuaire des domaines des collectivités'], { env }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    const { stdout, stderr } = failed as { stdout: string; stderr: string };
    expect(stdout).toMatch(/2 ajoutés, 1 déjà vérifiés, 4 lignes refusées/);
    expect(stderr).toMatch(/Ligne 5 : gmail\.com est une messagerie grand public/);
    expect(stderr).toMatch(/Ligne 6 : Le SIREN 356000000 n'est pas dans l'annuaire/);
    expect(stderr).toMatch(/Ligne 7 : SIREN non valide/);
    expect(stderr).toMatch(/Ligne 8 : Domaine non valide/);

    expect((await register('a@ville-test.fr')).outcome).toBe('invitation_sent');
    const imported = await t.app.ctx.db.selectFrom('organisation_domains').selectAll().where('domain', '=', 'ville-test.fr').executeTakeFirstOrThrow();
    expect(imported).toMatchObject({ siren: TRUSTED_SIREN, verified_by: 'import', reason: 'Annuaire des domaines des collectivités' });

    const noReason = await run('npx', ['tsx', 'scripts/admin.ts', 'import-domains', '--file', file], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(noReason).toMatchObject({ code: 2, stderr: expect.stringMatching(/--reason/) });
  });
});
