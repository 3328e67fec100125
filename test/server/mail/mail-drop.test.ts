import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { runHousekeeping } from '../../../server/housekeeping.js';
import { mailDropTransport, mailDropWarning } from '../../../server/mail/transport.js';
import { HOUR } from '../../support/clock.js';
import { tempDir } from '../../support/test-database.js';
import { newCaptcha, startTestApp, validRegistration, type TestApp } from '../../support/test-app.js';

// Dropped messages hold live set-password links: only the service's user
// reads them, and they go once no link in them can still work.
const mode = (file: string) => fs.statSync(file).mode & 0o777;

let t: TestApp | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = null;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const mail = { id: 'm1', kind: 'invitation', from: 'guichet@anru.fr', to: 'claire.martin@saint-etienne.fr', subject: 'Lien', text: 'lien', html: '<p>lien</p>' };

describe('the mail-drop folder', () => {
  it('is created 0700 with each message 0600, whatever the umask', async () => {
    const root = tempDir('guichet-drop-');
    dirs.push(root);
    const dir = path.join(root, 'data', 'mail');
    const previous = process.umask(0o022);
    try {
      const transport = mailDropTransport(dir);
      await transport.send(mail);
      transport.close();
    } finally {
      process.umask(previous);
    }
    const [file] = fs.readdirSync(dir);
    expect(file).toMatch(/\.eml$/);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(root, 'data'))).toBe(0o700);
    expect(mode(path.join(dir, file!))).toBe(0o600);
  });

  it('is closed to others when an older version left it open', async () => {
    const root = tempDir('guichet-drop-');
    dirs.push(root);
    const dir = path.join(root, 'mail');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const transport = mailDropTransport(dir);
    await transport.send(mail);
    transport.close();
    expect(mode(dir)).toBe(0o700);
  });

  it('loses its messages once the longest link in them has expired, and keeps the others', async () => {
    t = await startTestApp();
    const drop = path.join(t.dataDir, 'mail');
    const res = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ captchaId: await newCaptcha(t.app) }) });
    expect(res.statusCode).toBe(202);
    const [first] = await t.deliverAndRead();
    expect(first?.subject).toMatch(/mot de passe/);
    fs.writeFileSync(path.join(drop, 'LISEZ-MOI.txt'), 'Les e-mails déposés par Guichet.');

    t.clock.advance((t.app.ctx.config.tokenTtlHours - 1) * HOUR);
    await runHousekeeping(t.app.ctx);
    expect(fs.readdirSync(drop)).toContain(first!.file);

    t.clock.advance(2 * HOUR);
    await runHousekeeping(t.app.ctx);
    expect(fs.readdirSync(drop).sort()).toEqual(['LISEZ-MOI.txt']);
  });

  it('keeps them while a password-reset link set to outlive invitations could still work', async () => {
    t = await startTestApp({ TOKEN_TTL_HOURS: '1', RESET_TOKEN_TTL_MINUTES: '180' });
    const drop = path.join(t.dataDir, 'mail');
    await t.app.inject({ method: 'POST', url: '/api/registrations', payload: validRegistration({ captchaId: await newCaptcha(t.app) }) });
    const [first] = await t.deliverAndRead();

    t.clock.advance(2 * HOUR);
    await runHousekeeping(t.app.ctx);
    expect(fs.readdirSync(drop)).toEqual([first!.file]);

    t.clock.advance(2 * HOUR);
    await runHousekeeping(t.app.ctx);
    expect(fs.readdirSync(drop)).toEqual([]);
  });
});

describe('the start-up warning about the mail drop', () => {
  const env = (extra: Record<string, string>) => loadConfig({ DATA_DIR: '/srv/guichet', ...extra }, '/');

  it('warns, in French, when links are dropped in a folder while the service answers beyond this machine', () => {
    expect(mailDropWarning(env({ PUBLIC_URL: 'https://guichet.example.org' }))).toMatch(
      /^Les e-mails sont déposés dans \/srv\/guichet\/mail .*SMTP_URL/,
    );
  });

  it('stays quiet on this machine alone, or with SMTP', () => {
    for (const url of ['http://localhost:4780', 'http://127.0.0.1:4788', 'http://[::1]:4780', 'http://guichet.localhost']) {
      expect(mailDropWarning(env({ PUBLIC_URL: url })), url).toBeNull();
    }
    expect(mailDropWarning(env({ PUBLIC_URL: 'https://guichet.example.org', SMTP_URL: 'smtp://relay.example.org:25' }))).toBeNull();
  });
});
