import type { ConnectionInfo } from '../../common/ipc/contract.js';
import type { DesktopSettings } from '../../common/ipc/schemas.js';
import type { OutboxEntry } from '../../common/outbox/outbox.js';
import type { ServiceClient } from '../connection/service-client.js';
import type { KioskKey } from '../credentials/kiosk-key.js';
import type { SessionToken } from '../credentials/session-token.js';
import { IpcRefusedError, type IpcHandlers } from '../ipc/register.js';
import type { DurableOutbox } from '../outbox/outbox.js';
import type { SettingsStore } from '../settings/settings-store.js';

// What each IPC channel does. A kiosk serves anonymous applicants: there,
// nobody signs in, changes the settings or the kiosk's key, queues a desk's
// request or reads the refused ones.

export interface HandlerContext {
  kiosk: boolean;
  connection: ConnectionInfo;
  settings: DesktopSettings;
  settingsStore: SettingsStore;
  session: SessionToken;
  kioskKey: KioskKey;
  outbox: DurableOutbox;
  client: ServiceClient;
  /** Restarts the app, on its new settings. */
  restart: () => void;
  now?: () => Date;
}

const NOT_ON_A_KIOSK = 'Cette action n\'est pas disponible sur une borne.';
const ONLY_ON_A_KIOSK = 'Cette action n\'est disponible que sur une borne.';

function deskOnly(kiosk: boolean): void {
  if (kiosk) throw new IpcRefusedError(NOT_ON_A_KIOSK);
}

export function createIpcHandlers(context: HandlerContext): IpcHandlers {
  const { kiosk, outbox, client } = context;
  const now = context.now ?? (() => new Date());

  async function queue(entry: OutboxEntry) {
    await outbox.add(entry);
    return outbox.status();
  }

  return {
    getConnection: async () => context.connection,
    getSettings: async () => {
      deskOnly(kiosk);
      return context.settings;
    },
    saveSettings: async (settings) => {
      deskOnly(kiosk);
      await context.settingsStore.save(settings);
      context.restart();
    },
    rememberSession: async (remember) => {
      deskOnly(kiosk);
      await context.session.remember(remember);
    },
    hasKioskKey: async () => {
      deskOnly(kiosk);
      return context.kioskKey.isSet();
    },
    saveKioskKey: async (key) => {
      deskOnly(kiosk);
      await context.kioskKey.replace(key);
      return context.kioskKey.isSet();
    },
    queuePhoneRegistration: async ({ idempotencyKey, registration }) => {
      deskOnly(kiosk);
      return queue({ kind: 'phone-registration', id: idempotencyKey, capturedAt: now().toISOString(), registration });
    },
    queueKioskRegistration: async ({ idempotencyKey, registration }) => {
      if (!kiosk) throw new IpcRefusedError(ONLY_ON_A_KIOSK);
      return queue({ kind: 'kiosk-registration', id: idempotencyKey, capturedAt: now().toISOString(), registration });
    },
    getOutboxStatus: () => outbox.status(),
    replayOutbox: () => outbox.replay(client.sendReplay),
    dismissRefused: async (id) => {
      deskOnly(kiosk);
      await outbox.dismiss(id);
      return outbox.status();
    },
  };
}
