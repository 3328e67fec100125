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

/** Closes an existing file to group and others; a missing one is left missing. */
export function closeToOthers(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
}
