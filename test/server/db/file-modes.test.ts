import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { openDatabase } from '../../../server/db/database.js';
import { checkStorage } from '../../../server/storage-check.js';
import { tempDir } from '../../support/test-database.js';

// The SQLite file holds every applicant's name, email and phone: only the
// service's user may read it, its journal files and its folder, whatever the
// umask of whoever started the service.
const mode = (file: string) => fs.statSync(file).mode & 0o777;

const dirs: string[] = [];
let previousUmask: number | null = null;
afterEach(() => {
  if (previousUmask !== null) process.umask(previousUmask);
  previousUmask = null;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function freshRoot(): string {
  const root = tempDir('guichet-modes-');
  dirs.push(root);
  previousUmask = process.umask(0o022);
  return root;
}

describe('files at rest on a fresh data directory', () => {
  it('creates the data directory 0700 when it checks it can write there', () => {
    const root = freshRoot();
    const dataDir = path.join(root, 'data');
    checkStorage(loadConfig({ DATA_DIR: dataDir }, root));
    expect(mode(dataDir)).toBe(0o700);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('creates the SQLite file, its write-ahead log and shared memory 0600 in a 0700 folder', async () => {
    const root = freshRoot();
    const file = path.join(root, 'data', 'guichet.sqlite');
    const handle = openDatabase(file);
    try {
      await sql`CREATE TABLE probe (x integer)`.execute(handle.db);
      await sql`INSERT INTO probe VALUES (1)`.execute(handle.db);
      expect(mode(path.dirname(file))).toBe(0o700);
      for (const name of [file, `${file}-wal`, `${file}-shm`]) expect(mode(name), name).toBe(0o600);
    } finally {
      await handle.close();
    }
  });

  it('opens a read-only database file, such as a backup to copy from, without making it writable', async () => {
    const root = freshRoot();
    const file = path.join(root, 'sauvegarde.sqlite');
    const writer = openDatabase(file);
    await sql`CREATE TABLE probe (x integer)`.execute(writer.db);
    await sql`INSERT INTO probe VALUES (7)`.execute(writer.db);
    await writer.close();
    fs.chmodSync(file, 0o444);
    const reader = openDatabase(file);
    try {
      const { rows } = await sql<{ x: number }>`SELECT x FROM probe`.execute(reader.db);
      expect(rows).toEqual([{ x: 7 }]);
      expect(mode(file)).toBe(0o400);
    } finally {
      await reader.close();
    }
  });

  it('closes a database file an older version left readable by all', async () => {
    const root = freshRoot();
    const file = path.join(root, 'guichet.sqlite');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    const handle = openDatabase(file);
    try {
      await sql`CREATE TABLE probe (x integer)`.execute(handle.db);
      for (const name of [file, `${file}-wal`, `${file}-shm`]) expect(mode(name), name).toBe(0o600);
    } finally {
      await handle.close();
    }
  });
});
