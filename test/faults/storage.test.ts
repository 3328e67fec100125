import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_DATA_DIR_UNWRITABLE, EXIT_DISK_FULL } from '../../server/storage-check.js';
import { tempDir } from '../support/test-database.js';
import { freePort, startService, untilReady } from './service-process.js';

// The service started by an operator on a data directory it cannot use:
// it must stop at once, say why in French, and exit with a code a
// supervisor can tell from a crash.
let dir: string | null = null;
afterEach(() => {
  if (dir) {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  dir = null;
});

describe('a data directory the service cannot write to', () => {
  it('stops the service with a clear French message and its own exit code', { timeout: 60_000 }, async () => {
    dir = tempDir('guichet-readonly-');
    fs.chmodSync(dir, 0o555);
    const dataDir = path.join(dir, 'data');
    // Root ignores permissions: the service then runs as "nobody", as a badly set up unit would.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const service = startService({ DATA_DIR: dataDir, PORT: '0' }, asNobody);
    expect(await service.exited).toBe(EXIT_DATA_DIR_UNWRITABLE);
    expect(service.stderr()).toBe(
      `Guichet ne peut pas démarrer : impossible d'écrire dans le dossier de données ${dataDir} (EACCES). ` +
        "Donnez-y les droits d'écriture à l'utilisateur qui lance le service, ou indiquez un autre dossier dans DATA_DIR.\n",
    );
  });

  it('says so too when DATA_DIR names a file', { timeout: 60_000 }, async () => {
    dir = tempDir('guichet-notdir-');
    const file = path.join(dir, 'guichet-data');
    fs.writeFileSync(file, 'pas un dossier');
    const service = startService({ DATA_DIR: file, PORT: '0' });
    expect(await service.exited).toBe(EXIT_DATA_DIR_UNWRITABLE);
    expect(service.stderr()).toMatch(/^Guichet ne peut pas démarrer : impossible d'écrire dans le dossier de données .*guichet-data \((ENOTDIR|EEXIST)\)/);
  });
});

describe('a disk that fills up while the service creates its database', () => {
  it('stops the service with a clear French message and its own exit code, leaving no running process', { timeout: 60_000 }, async () => {
    dir = tempDir('guichet-full-');
    // A 100 KiB file-size limit: the writability probe fits, the new database (36,000 public bodies) does not.
    const service = startService({ DATA_DIR: dir, PORT: '0' }, { shell: 'ulimit -f 200' });
    expect(await service.exited).toBe(EXIT_DISK_FULL);
    expect(service.stderr()).toMatch(
      new RegExp(`^Guichet ne peut pas démarrer : le disque du dossier de données ${dir} est plein, ou refuse d'écrire davantage \\(SQLITE_(FULL|IOERR_WRITE)\\)\\. Libérez de la place`),
    );
    expect(service.stdout()).not.toContain('Guichet est prêt');
  });
});

describe('a disk that fills up while the service runs', () => {
  it('answers 503 in French with a long Retry-After, keeps serving reads, and tells the operator in its log', { timeout: 180_000 }, async () => {
    dir = tempDir('guichet-filling-');
    const port = await freePort();
    const env = { DATA_DIR: dir, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, RATE_LIMIT_PER_MINUTE: '100000' };
    const first = startService(env);
    await untilReady(first);
    first.child.kill('SIGTERM');
    await first.exited;
    // Room for the database as it is and its write-ahead log, not for much more.
    const size = fs.statSync(path.join(dir, 'guichet.sqlite')).size;
    const service = startService(env, { shell: `ulimit -f ${Math.ceil(size / 512) + 64}` });
    try {
      await untilReady(service);
      const url = `http://127.0.0.1:${port}`;
      let full: Response | null = null;
      for (let round = 0; round < 2000 && !full; round++) {
        const answers = await Promise.all(Array.from({ length: 16 }, () => fetch(`${url}/api/captcha`, { method: 'POST' })));
        for (const answer of answers) {
          if (answer.status === 503 && !full) full = answer;
          else await answer.arrayBuffer();
        }
        expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
      }
      expect(full, 'the disk never filled up').not.toBeNull();
      expect(Number(full!.headers.get('retry-after'))).toBeGreaterThanOrEqual(60);
      expect(await full!.json()).toMatchObject({ error: 'storage_full', message: expect.stringMatching(/^Le service ne peut plus rien enregistrer : l'espace de stockage/) });
      const search = await fetch(`${url}/api/directory/search?q=saint%20etienne`);
      expect(search.status).toBe(200);
      expect(service.stderr() + service.stdout()).toContain('database storage full');
      expect(service.child.exitCode).toBeNull();
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });
});
