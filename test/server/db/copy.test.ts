import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { setPasswordLink, tokenOf } from '../../support/mail-drop.js';
import { verifyTestDomain } from '../../support/organisations.js';
import { personWithRole } from '../../support/staff.js';
import { CAPTCHA_TEXT, addUntrustedOrganisation, asGuichetPage, newCaptcha, UNTRUSTED_ORGANISATION, validRegistration } from '../../support/test-app.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresUrl, tempDir } from '../../support/test-database.js';
import { readMailDrop } from '../../support/mail-drop.js';

const run = promisify(execFile);

describe('moving a desk to a central PostgreSQL', () => {
  it('`npm run db -- copy` moves every row, verified, and the central service works with the moved data', { timeout: 120_000 }, async () => {
    const dir = tempDir('guichet-copy-');
    const sqliteFile = path.join(dir, 'desk.sqlite');
    const targetName = `guichet_copy_${randomBytes(4).toString('hex')}`;
    await createPostgresDatabase(targetName);
    const targetUrl = postgresUrl(targetName);
    try {
      const desk = await buildApp(loadConfig({ DATA_DIR: dir, WEB_ROOT: '', DATABASE_URL: sqliteFile, RATE_LIMIT_PER_MINUTE: '10000' }), {
        logger: false,
        startMailWorker: false,
        captchaText: () => CAPTCHA_TEXT,
      });
      await addUntrustedOrganisation(desk);
      await verifyTestDomain(desk.ctx.db);
      for (let i = 0; i < 5; i++) {
        await desk.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ email: `p${i}@saint-etienne.fr`, captchaId: await newCaptcha(desk) }) });
        await desk.inject({
          method: 'POST',
          url: '/api/registrations',
          payload: validRegistration({ email: `a${i}@asso.fr`, siren: UNTRUSTED_ORGANISATION.siren, captchaId: await newCaptcha(desk) }),
        });
      }
      await desk.mailWorker.deliverDue();
      const mail = (await readMailDrop(path.join(dir, 'mail'))).find((m) => m.to === 'p0@saint-etienne.fr')!;
      await desk.inject({
        method: 'POST',
        url: '/api/password',
        payload: { token: tokenOf(setPasswordLink(mail)), password: 'Centralise-2026', confirmation: 'Centralise-2026' },
      });
      await personWithRole(desk, 'approver');
      await desk.close();

      const { stdout } = await run('npx', ['tsx', 'scripts/db.ts', 'copy', '--from', sqliteFile, '--to', targetUrl], { cwd: process.cwd() });
      expect(stdout).toMatch(/registrations\s+10 lignes copiées/);
      expect(stdout).toMatch(/Copie terminée et vérifiée/);

      const again = await run('npx', ['tsx', 'scripts/db.ts', 'copy', '--from', sqliteFile, '--to', targetUrl], { cwd: process.cwd() }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/contient déjà des données/) });

      const central = await buildApp(loadConfig({ DATA_DIR: dir, WEB_ROOT: '', DATABASE_URL: targetUrl }), { logger: false, startMailWorker: false });
      asGuichetPage(central);
      try {
        const signIn = await central.inject({ method: 'POST', url: '/api/session', payload: { email: 'p0@saint-etienne.fr', password: 'Centralise-2026' } });
        expect(signIn.statusCode).toBe(200);
        const pending = await central.ctx.db.selectFrom('registrations').select('id').where('status', '=', 'pending').execute();
        expect(pending).toHaveLength(5);
      } finally {
        await central.close();
      }
    } finally {
      await dropPostgresDatabase(targetName);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
