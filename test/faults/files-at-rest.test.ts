import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/test-database.js';
import { startService, untilReady, type ServiceProcess } from './service-process.js';

// `npm run serve` as an operator starts it, on a data directory it creates,
// with the umask most systems give (022): what it writes stays the service
// user's, and the start-up log says what is unsafe in its settings.
const mode = (file: string) => fs.statSync(file).mode & 0o777;

let root = '';
let service: ServiceProcess;
beforeAll(async () => {
  root = tempDir('guichet-at-rest-');
  fs.chmodSync(root, 0o755);
  service = startService(
    { DATA_DIR: path.join(root, 'data'), PORT: '0', PUBLIC_URL: 'https://guichet.example.org', TRUST_PROXY: '1' },
    { shell: 'umask 022' },
  );
  await untilReady(service);
}, 60_000);
afterAll(async () => {
  service.child.kill('SIGTERM');
  await service.exited;
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a service started on a fresh data directory', () => {
  it('creates its folders 0700 and its files 0600', () => {
    const dataDir = path.join(root, 'data');
    expect(mode(dataDir)).toBe(0o700);
    const files = fs.readdirSync(dataDir).sort();
    expect(files).toEqual(['guichet.sqlite', 'guichet.sqlite-shm', 'guichet.sqlite-wal']);
    for (const file of files) expect(mode(path.join(dataDir, file)), file).toBe(0o600);
  });

  it('warns in its log, in French, of links dropped in a folder while it answers beyond this machine, and of a bare hop count in TRUST_PROXY', async () => {
    const logged = () =>
      service
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .filter((entry) => entry.level === 40)
        .map((entry) => entry.msg);
    // The log is written asynchronously, the ready message directly: on a
    // busy machine the second warning arrived after it.
    const deadline = Date.now() + 5_000;
    while (logged().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logged()).toEqual([
      expect.stringMatching(/^Les e-mails sont déposés dans .*\/data\/mail .*SMTP_URL/),
      expect.stringMatching(/^TRUST_PROXY donne un nombre de relais \(1\)/),
    ]);
  });
});
