import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from 'yup';
import { DEFAULT_SETTINGS } from '../../../common/ipc/schemas.js';
import { SettingsStore } from '../../../src-main/settings/settings-store.js';

const dirs: string[] = [];
function settingsFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-settings-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'settings.json');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('desk settings', () => {
  it('starts from the defaults: the bundled service, no kiosk', async () => {
    expect(await new SettingsStore(settingsFile()).load()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps what was saved across restarts, as the schema reads it', async () => {
    const file = settingsFile();
    const saved = await new SettingsStore(file).save({
      connection: 'central',
      centralUrl: '  https://guichet.anru.fr/  ',
      localPort: '4790',
      kiosk: true,
      kioskIdleMinutes: 5,
    });
    expect(saved).toEqual({ connection: 'central', centralUrl: 'https://guichet.anru.fr', localPort: 4790, kiosk: true, kioskIdleMinutes: 5 });
    // A new store is a new run of the app.
    expect(await new SettingsStore(file).load()).toEqual(saved);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['settings.json']);
  });

  it('refuses what the settings screen must not set, with French messages, and keeps the previous file', async () => {
    const file = settingsFile();
    const store = new SettingsStore(file);
    await store.save(DEFAULT_SETTINGS);
    const refusal = store.save({ ...DEFAULT_SETTINGS, connection: 'central', centralUrl: 'http://guichet.anru.fr', localPort: 80, extra: 1 });
    await expect(refusal).rejects.toBeInstanceOf(ValidationError);
    const errors = await refusal.catch((error: ValidationError) => error.errors);
    expect(errors).toEqual(
      expect.arrayContaining([
        "L'adresse du service central doit commencer par https://.",
        'Le port du service local doit être compris entre 1024 et 65535.',
        'Champ inattendu : « extra ».',
      ]),
    );
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
  });

  it('falls back to the defaults when the file was damaged by hand', async () => {
    const file = settingsFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"connection": "central", ');
    expect(await new SettingsStore(file).load()).toEqual(DEFAULT_SETTINGS);
    fs.writeFileSync(file, JSON.stringify({ connection: 'central', centralUrl: 'ftp://x' }));
    expect(await new SettingsStore(file).load()).toEqual(DEFAULT_SETTINGS);
  });
});
