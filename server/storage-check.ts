import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { isPostgresUrl } from './db/database.js';
import { makePrivateDirectory, PRIVATE_FILE_MODE } from './private-files.js';

// Exit codes of `npm run serve`, so that a supervisor (systemd, the desktop
// app) can tell a problem an operator must fix from a crash worth a restart.
export const EXIT_CONFIG = 2;
export const EXIT_DATA_DIR_UNWRITABLE = 3;
export const EXIT_DISK_FULL = 4;

export class StorageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

// errno codes from Node, and SQLite's own (node:sqlite does not pass the errno on).
// A write past a file-size quota (EFBIG) reaches SQLite as an I/O write error.
const FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'SQLITE_FULL', 'SQLITE_IOERR_WRITE']);
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_READONLY_DIRECTORY']);

/** The French explanation of a storage failure at start, or null when the error is something else. */
export function storageProblem(error: unknown, dir: string): StorageError | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  if (FULL.has(code)) {
    return new StorageError(
      `le disque du dossier de données ${dir} est plein, ou refuse d'écrire davantage (${code}). Libérez de la place, ou indiquez un autre dossier dans DATA_DIR, puis relancez Guichet.`,
      EXIT_DISK_FULL,
    );
  }
  if (UNWRITABLE.has(code)) {
    return new StorageError(
      `impossible d'écrire dans le dossier de données ${dir} (${code}). Donnez-y les droits d'écriture à l'utilisateur qui lance le service, ou indiquez un autre dossier dans DATA_DIR.`,
      EXIT_DATA_DIR_UNWRITABLE,
    );
  }
  return null;
}

/** The folder whose disk the service writes to: the SQLite file's, or the mail drop's. */
export function storageDirectory(config: Config): string | null {
  if (!isPostgresUrl(config.databaseUrl)) return path.dirname(config.databaseUrl);
  return config.smtpUrl ? null : config.dataDir;
}

/**
 * Proves the data directory writable before the database is opened, so that
 * a read-only or full disk is reported as such rather than as a database
 * error halfway through a migration.
 */
export function checkStorage(config: Config): void {
  const dir = storageDirectory(config);
  if (!dir) return;
  const probe = path.join(dir, `.guichet-ecriture-${process.pid}`);
  try {
    makePrivateDirectory(dir);
    fs.writeFileSync(probe, 'Guichet vérifie que ce dossier accepte l\'écriture.\n', { mode: PRIVATE_FILE_MODE });
    fs.rmSync(probe);
  } catch (error) {
    throw storageProblem(error, dir) ?? error;
  }
}
