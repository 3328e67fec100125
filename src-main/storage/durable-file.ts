import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

// Writes that survive a crash or a power cut: the data reaches the disk in a
// temporary file, which then replaces the target in one rename, and the folder
// itself is flushed so that the rename is on disk too. A reader therefore sees
// the old file or the new one, whole, never half of one.

const TEMP_SUFFIX = '.tmp';

function isTemporaryFile(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

/** Flushes a folder's entries (creations, renames, removals) to disk. */
export async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a folder for flushing; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `file` with `data`, on disk when the promise resolves. Readable by its owner only: it may hold personal data. */
export async function writeFileDurably(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomUUID()}${TEMP_SUFFIX}`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  await syncDirectory(dir);
}

/** Removes `file` (if it exists), on disk when the promise resolves. */
export async function removeFileDurably(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await syncDirectory(path.dirname(file));
}

/** Leftovers of writes a crash interrupted: they were never acknowledged, so they go. */
export async function removeTemporaryFiles(dir: string): Promise<void> {
  const names = await fs.readdir(dir);
  await Promise.all(names.filter(isTemporaryFile).map((name) => fs.rm(path.join(dir, name), { force: true })));
}
