import fs from 'node:fs';

// The data directory holds every applicant's name, email and phone, and the
// mail drop live set-password links: readable by the service's user alone,
// whatever the umask of whoever started it.
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the folder and its missing parents 0700. A folder that already
 * exists keeps its mode: it may be the operator's (DATABASE_URL=/var/lib/x.sqlite
 * names /var/lib), and the files in it are closed one by one.
 */
export function makePrivateDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates the file empty and 0600 if it is missing; an existing one is opened read-only and left as it is. */
export function createPrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_CREAT, PRIVATE_FILE_MODE));
}

/**
 * Closes an existing file of the service's user to group and others (its
 * owner's rights stay: a read-only backup stays read-only); a missing one,
 * or someone else's (a backup read by `npm run db -- copy`), is left alone.
 * Windows has no such modes: its ACLs and the per-user data folder do this
 * work there.
 */
export function closeToOthers(file: string): void {
  if (process.platform === 'win32') return;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) fs.chmodSync(file, stat.mode & 0o700);
}
