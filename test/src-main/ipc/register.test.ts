import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type DesktopFunction } from '../../../common/ipc/contract.js';
import { DEFAULT_SETTINGS } from '../../../common/ipc/schemas.js';
import { registerIpcHandlers, type IpcHandlers } from '../../../src-main/ipc/register.js';
import { phoneRegistration } from '../outbox/fixtures.js';

// Electron's ipcMain and its events need the Electron binary: here, a stand-in
// for ipcMain that keeps the listeners, and events carrying only what the
// checks read (the sender's frame: its URL and its parent).

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeEvent(url: string | null, options: { subframe?: boolean } = {}): IpcMainInvokeEvent {
  const senderFrame = url === null ? null : { url, parent: options.subframe ? { url } : null };
  return { senderFrame } as unknown as IpcMainInvokeEvent;
}

function setUp() {
  const listeners = new Map<string, Listener>();
  const handlers = Object.fromEntries(
    (Object.keys(IPC_CHANNELS) as DesktopFunction[]).map((name) => [name, vi.fn(async (..._args: unknown[]) => `${name} ok`)]),
  ) as unknown as Record<DesktopFunction, ReturnType<typeof vi.fn>>;
  registerIpcHandlers({ handle: (channel, listener) => listeners.set(channel, listener) }, handlers as unknown as IpcHandlers);
  const call = (name: DesktopFunction, event: IpcMainInvokeEvent, ...args: unknown[]) => Promise.resolve(listeners.get(IPC_CHANNELS[name])!(event, ...args));
  return { listeners, handlers, call };
}

const APP_PAGE = 'guichet://app/index.html#/personnel/telephone';

describe('IPC handlers', () => {
  it('registers one handler per channel of the contract, and nothing else', () => {
    const { listeners } = setUp();
    expect([...listeners.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
  });

  it('answers the main frame of an app page', async () => {
    const { call, handlers } = setUp();
    await expect(call('getConnection', fakeEvent(APP_PAGE))).resolves.toBe('getConnection ok');
    expect(handlers.getConnection).toHaveBeenCalledWith();
  });

  it.each([
    ['no frame (it navigated away or closed)', fakeEvent(null)],
    ['a page of the service itself', fakeEvent('http://127.0.0.1:4788/')],
    ['a remote page', fakeEvent('https://evil.example/')],
    ['a file', fakeEvent('file:///tmp/index.html')],
    ['another custom origin', fakeEvent('guichet://other/index.html')],
    ['an iframe inside an app page', fakeEvent(APP_PAGE, { subframe: true })],
  ])('refuses a call from %s, before reading its argument', async (_label, event) => {
    const { call, handlers } = setUp();
    await expect(call('getOutboxStatus', event)).rejects.toThrow("Appel refusé : il ne vient pas d'une page de l'application.");
    await expect(call('queuePhoneRegistration', event, { not: 'valid' })).rejects.toThrow(/ne vient pas d'une page/);
    expect(handlers.getOutboxStatus).not.toHaveBeenCalled();
    expect(handlers.queuePhoneRegistration).not.toHaveBeenCalled();
  });

  it('passes the handler the argument as its schema reads it', async () => {
    const { call, handlers } = setUp();
    await call('saveSettings', fakeEvent(APP_PAGE), { ...DEFAULT_SETTINGS, connection: 'central', centralUrl: ' https://guichet.anru.fr/ ', localPort: '4790' });
    expect(handlers.saveSettings).toHaveBeenCalledWith({ ...DEFAULT_SETTINGS, connection: 'central', centralUrl: 'https://guichet.anru.fr', localPort: 4790 });

    await call('queuePhoneRegistration', fakeEvent(APP_PAGE), { idempotencyKey: 'cle-0123456789', registration: phoneRegistration(1) });
    expect(handlers.queuePhoneRegistration).toHaveBeenCalledWith({ idempotencyKey: 'cle-0123456789', registration: phoneRegistration(1) });

    // A key pasted with the line break the copy took along.
    await call('saveKioskKey', fakeEvent(APP_PAGE), ` ${'k'.repeat(43)}\n`);
    expect(handlers.saveKioskKey).toHaveBeenCalledWith('k'.repeat(43));
    await call('saveKioskKey', fakeEvent(APP_PAGE), null);
    expect(handlers.saveKioskKey).toHaveBeenLastCalledWith(null);
  });

  it.each<[string, DesktopFunction, unknown[], RegExp]>([
    ['an argument to a channel that takes none', 'getConnection', ['x'], /« getConnection » ne prend pas d'argument/],
    ['two arguments', 'rememberSession', [true, true], /prend un seul argument/],
    ['no argument', 'rememberSession', [], /prend un seul argument/],
    ['a string for a boolean', 'rememberSession', ['true'], /Appel refusé/],
    ['an unexpected settings field', 'saveSettings', [{ ...DEFAULT_SETTINGS, preload: '/tmp/x.js' }], /Champ inattendu : « preload »/],
    ['a plain-http central service', 'saveSettings', [{ ...DEFAULT_SETTINGS, connection: 'central', centralUrl: 'http://guichet.anru.fr' }], /doit commencer par https/],
    [
      'a registration with a bad SIREN',
      'queuePhoneRegistration',
      [{ idempotencyKey: 'cle-0123456789', registration: phoneRegistration(1, '775672273') }],
      /clé de contrôle incorrecte/,
    ],
    ['a registration with an extra field', 'queuePhoneRegistration', [{ idempotencyKey: 'cle-0123456789', registration: { ...phoneRegistration(1), x: 1 } }], /Champ inattendu/],
    ['a short idempotency key', 'queuePhoneRegistration', [{ idempotencyKey: 'a', registration: phoneRegistration(1) }], /de 8 à 100/],
    ['a kiosk request with a captcha', 'queueKioskRegistration', [{ idempotencyKey: 'cle-0123456789', registration: { ...phoneRegistration(1), confirm: { termsAccepted: true, captchaId: 'x' } } }], /Champ inattendu : « captchaId »/],
    ['an id with a path in it', 'dismissRefused', ['../../settings'], /de 8 à 100/],
    ['a truncated kiosk key', 'saveKioskKey', ['k'.repeat(42)], /La clé de la borne n'est pas valide/],
    ['a kiosk key with a line break inside', 'saveKioskKey', [`${'k'.repeat(20)}\n${'k'.repeat(22)}`], /La clé de la borne n'est pas valide/],
    ['no kiosk key (undefined rather than null)', 'saveKioskKey', [undefined], /Appel refusé/],
  ])('refuses %s', async (_label, name, args, message) => {
    const { call, handlers } = setUp();
    await expect(call(name, fakeEvent(APP_PAGE), ...args)).rejects.toThrow(message);
    expect(handlers[name]).not.toHaveBeenCalled();
  });
});
