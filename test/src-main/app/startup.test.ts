import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../common/ipc/schemas.js';
import { startupOptions } from '../../../src-main/app/startup.js';

describe('startup options', () => {
  const central = { ...DEFAULT_SETTINGS, connection: 'central' as const, centralUrl: 'https://guichet.anru.fr' };

  it('connects to the bundled service on its port, or to the central one', () => {
    expect(startupOptions([], DEFAULT_SETTINGS).connection).toEqual({ mode: 'local', serviceUrl: 'http://127.0.0.1:4788' });
    expect(startupOptions([], central).connection).toEqual({ mode: 'central', serviceUrl: 'https://guichet.anru.fr' });
  });

  it('is a kiosk with --kiosk or the setting, and --no-kiosk lets an admin back to the settings', () => {
    expect(startupOptions(['electron', '.'], DEFAULT_SETTINGS).kiosk).toBe(false);
    expect(startupOptions(['electron', '.', '--kiosk'], DEFAULT_SETTINGS).kiosk).toBe(true);
    expect(startupOptions([], { ...DEFAULT_SETTINGS, kiosk: true }).kiosk).toBe(true);
    expect(startupOptions(['--no-kiosk'], { ...DEFAULT_SETTINGS, kiosk: true }).kiosk).toBe(false);
  });
});
