import type { ConnectionMode, DesktopBridge, KioskOptions } from '../../common/ipc/contract.js';
import type { OutboxStatus } from '../../common/outbox/outbox.js';
import type { QueuedKioskRegistration, QueuedPhoneRegistration } from '../../common/ipc/schemas.js';
import { webOutbox } from './web-outbox.js';

// The renderer reaches its host through this one module: the desktop shell's
// preload exposes `window.guichet`; a plain browser (a desk, or a kiosk opened
// with ?kiosque=1) has none and talks to the service that served the page.
// Either way the API is /api on the page's own origin: the desktop app
// forwards it to its service from the main process.

declare global {
  interface Window {
    guichet?: DesktopBridge;
  }
}

/** Query parameter that turns a browser into a kiosk, e.g. https://guichet.anru.fr/?kiosque=1. */
export const KIOSK_QUERY = 'kiosque';

const DEFAULT_KIOSK: KioskOptions = { idleMinutes: 3 };

export type ServiceMode = ConnectionMode | 'web';

export interface ServiceConnection {
  mode: ServiceMode;
  serviceUrl: string;
}

/** Where completed requests wait while the service is unreachable. */
export interface Outbox {
  queuePhoneRegistration(request: QueuedPhoneRegistration): Promise<OutboxStatus>;
  queueKioskRegistration(request: QueuedKioskRegistration): Promise<OutboxStatus>;
  status(): Promise<OutboxStatus>;
  replay(): Promise<OutboxStatus>;
  dismiss(id: string): Promise<OutboxStatus>;
}

export function desktopBridge(): DesktopBridge | null {
  return window.guichet ?? null;
}

/** The kiosk's options when this screen is a kiosk, otherwise null. */
export function kioskOptions(): KioskOptions | null {
  const bridge = desktopBridge();
  if (bridge) return bridge.kiosk;
  return new URLSearchParams(window.location.search).get(KIOSK_QUERY) === '1' ? DEFAULT_KIOSK : null;
}

export function isKiosk(): boolean {
  return kioskOptions() !== null;
}

/** The desktop app at a desk (not a kiosk): the settings screen and "rester connecté" exist there. */
export function isDesktopDesk(): boolean {
  const bridge = desktopBridge();
  return bridge !== null && bridge.kiosk === null;
}

export async function serviceConnection(): Promise<ServiceConnection> {
  const bridge = desktopBridge();
  return bridge ? bridge.getConnection() : { mode: 'web', serviceUrl: window.location.origin };
}

/**
 * Where wizard drafts are kept: on a desk of the desktop app, across restarts
 * of the app; in a browser, for the life of the tab (a reload keeps them); on
 * a kiosk, until the next applicant (the reset clears it).
 */
export function draftStorage(): Storage {
  return isDesktopDesk() ? window.localStorage : window.sessionStorage;
}

export function outbox(): Outbox {
  const bridge = desktopBridge();
  if (!bridge) return webOutbox({ showRefused: !isKiosk() });
  return {
    queuePhoneRegistration: (request) => bridge.queuePhoneRegistration(request),
    queueKioskRegistration: (request) => bridge.queueKioskRegistration(request),
    status: () => bridge.getOutboxStatus(),
    replay: () => bridge.replayOutbox(),
    dismiss: (id) => bridge.dismissRefused(id),
  };
}
