import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-scripts-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function script(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return run('npx', ['tsx', ...args], { env: { ...process.env, DATA_DIR: dir, ...env } }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

describe("the scripts read the service's settings with its checks", () => {
  it.each([
    ['npm run db', ['scripts/db.ts', 'copy', '--from', path.join(dir, 'source.sqlite'), '--to', path.join(dir, 'target.sqlite')]],
    ['npm run admin', ['scripts/admin.ts', 'create-user', '--email', 'ada@anru.fr', '--role', 'admin', '--first-name', 'Ada', '--last-name', 'Admin']],
    ['npm run directory', ['scripts/directory.ts', 'import', path.join(dir, 'StockUniteLegale.csv')]],
  ])('%s stops on a bad DB_BUSY_TIMEOUT_MS, in French, before touching a database', async (_name, args) => {
    fs.writeFileSync(path.join(dir, 'source.sqlite'), '');
    const result = await script(args, { DB_BUSY_TIMEOUT_MS: 'longtemps' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DB_BUSY_TIMEOUT_MS doit être un entier entre 1 et 600000 (reçu : « longtemps »).');
    expect(fs.existsSync(path.join(dir, 'target.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'guichet.sqlite'))).toBe(false);
  }, 60_000);
});
