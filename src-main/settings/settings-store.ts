import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SETTINGS, settingsSchema, type DesktopSettings } from '../../common/ipc/schemas.js';
import { writeFileDurably } from '../storage/durable-file.js';

// The desk's settings, one JSON file in the user-data folder. Every value is
// checked on the way in (the settings screen is web content) and on the way
// out (the file may have been edited by hand).

export class SettingsStore {
  constructor(private readonly file: string) {}

  /** The saved settings; the defaults where there are none, or where the file cannot be read as settings. */
  async load(): Promise<DesktopSettings> {
    let raw: string;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
    try {
      return await settingsSchema.validate({ ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as object) });
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }

  /** Validates and saves; resolves with what was saved, once it is on disk. Throws yup's ValidationError. */
  async save(settings: unknown): Promise<DesktopSettings> {
    const valid = await settingsSchema.validate(settings, { abortEarly: false });
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileDurably(this.file, `${JSON.stringify(valid, null, 2)}\n`);
    return valid;
  }
}
