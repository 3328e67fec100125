import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../common/ipc/schemas.js';
import { createIpcHandlers } from '../../../src-main/app/ipc-handlers.js';
import { ServiceClient } from '../../../src-main/connection/service-client.js';
import type { Keychain } from '../../../src-main/credentials/keychain.js';
import { KioskKey } from '../../../src-main/credentials/kiosk-key.js';
import { SessionToken } from '../../../src-main/credentials/session-token.js';
import { DurableOutbox } from '../../../src-main/outbox/outbox.js';
import { SettingsStore } from '../../../src-main/settings/settings-store.js';
import { phoneRegistration } from '../outbox/fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function memoryKeychain(): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    read: async (account) => entries.get(account) ?? null,
    write: async (account, secret) => void entries.set(account, secret),
    erase: async (account) => void entries.delete(account),
  };
}

async function context(kiosk: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-handlers-'));
  dirs.push(dir);
  const keychain = memoryKeychain();
  const session = new SessionToken(keychain, 'http://127.0.0.1:4788');
  const kioskKeychain = memoryKeychain();
  const kioskKey = new KioskKey(kioskKeychain, 'http://127.0.0.1:4788');
  const outbox = await DurableOutbox.open(path.join(dir, 'outbox'), { showRefused: !kiosk });
  const restart = vi.fn();
  const handlers = createIpcHandlers({
    kiosk,
    connection: { mode: 'local', serviceUrl: 'http://127.0.0.1:4788' },
    settings: DEFAULT_SETTINGS,
    settingsStore: new SettingsStore(path.join(dir, 'settings.json')),
    session,
    kioskKey,
    outbox,
    client: new ServiceClient({ serviceUrl: 'http://127.0.0.1:1', session, kioskKey, timeoutMs: 500 }),
    restart,
    now: () => new Date('2026-12-01T10:00:00.000Z'),
  });
  return { dir, handlers, outbox, keychain, kioskKeychain, kioskKey, session, restart };
}

const queued = { idempotencyKey: 'cle-0123456789', registration: phoneRegistration(1) };

describe('what each IPC channel does', () => {
  it('at a desk: queues a phone registration on disk, stamped with the capture time', async () => {
    const { handlers, outbox } = await context(false);
    expect(await handlers.queuePhoneRegistration(queued)).toEqual({ pending: 1, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
    expect(await outbox.pending()).toEqual([{ kind: 'phone-registration', id: 'cle-0123456789', capturedAt: '2026-12-01T10:00:00.000Z', registration: queued.registration }]);
    await expect(handlers.queueKioskRegistration(queued)).rejects.toThrow("n'est disponible que sur une borne");
  });

  it('at a desk: saves the settings, then restarts on them', async () => {
    const { handlers, dir, restart } = await context(false);
    await handlers.saveSettings({ ...DEFAULT_SETTINGS, kiosk: true });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).kiosk).toBe(true);
    expect(restart).toHaveBeenCalledOnce();
  });

  it('at a desk: keeps the session in the keychain on request, under the service URL, and takes it out', async () => {
    const { handlers, keychain, session } = await context(false);
    await expect(handlers.rememberSession(true)).rejects.toThrow('Aucune session à conserver');
    await session.signedIn('jeton-de-session');
    await handlers.rememberSession(true);
    expect(keychain.entries).toEqual(new Map([['http://127.0.0.1:4788', 'jeton-de-session']]));
    await handlers.rememberSession(false);
    expect(keychain.entries.size).toBe(0);
  });

  it('at a desk: keeps the kiosk key in the keychain under the service URL, says whether one is kept, and never gives it back', async () => {
    const { handlers, kioskKeychain, keychain, kioskKey } = await context(false);
    expect(await handlers.hasKioskKey()).toBe(false);
    const key = 'k'.repeat(43);
    expect(await handlers.saveKioskKey(key)).toBe(true);
    expect(kioskKeychain.entries).toEqual(new Map([['http://127.0.0.1:4788', key]]));
    expect(keychain.entries.size).toBe(0);
    expect(kioskKey.current()).toBe(key);
    expect(await handlers.hasKioskKey()).toBe(true);
    expect(JSON.stringify(await handlers.getSettings())).not.toContain(key);

    expect(await handlers.saveKioskKey(null)).toBe(false);
    expect(kioskKeychain.entries.size).toBe(0);
    expect(kioskKey.current()).toBeNull();
  });

  it('on a kiosk: queues an applicant\'s request, and refuses everything that belongs to a desk', async () => {
    const { handlers } = await context(true);
    const request = { ...queued, registration: { ...queued.registration, confirm: { termsAccepted: true } } };
    expect((await handlers.queueKioskRegistration(request)).pending).toBe(1);
    const refusals = [
      handlers.queuePhoneRegistration(queued),
      handlers.getSettings(),
      handlers.saveSettings(DEFAULT_SETTINGS),
      handlers.rememberSession(true),
      handlers.hasKioskKey(),
      // An applicant could otherwise take the kiosk's key out, or put in one of their own.
      handlers.saveKioskKey(null),
      handlers.dismissRefused('cle-0123456789'),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toThrow("Cette action n'est pas disponible sur une borne.");
  });

  it('replays through the service client: nothing answers here, so the request stays', async () => {
    const { handlers } = await context(false);
    await handlers.queuePhoneRegistration(queued);
    expect(await handlers.replayOutbox()).toEqual({ pending: 1, refused: [], waitingForSignIn: false, waitingForKioskKey: false });
  });
});
