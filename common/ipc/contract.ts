import type { OutboxStatus } from '../outbox/outbox.js';
import type { DesktopSettings, QueuedKioskRegistration, QueuedPhoneRegistration } from './schemas.js';

// The desktop shell's IPC contract. The preload exposes exactly one function
// per channel below as `window.guichet`; the main process registers one
// handler per channel, which checks who sends and what (./schemas.ts). This
// file has no runtime dependency so that the sandboxed preload can bundle it.

export const CONNECTION_MODES = ['local', 'central'] as const;
export type ConnectionMode = (typeof CONNECTION_MODES)[number];

/** Which service the desktop app talks to. */
export interface ConnectionInfo {
  mode: ConnectionMode;
  /** e.g. "http://127.0.0.1:4788" for the bundled service, "https://guichet.anru.fr" for a central one. */
  serviceUrl: string;
}

export interface KioskOptions {
  /** Idle minutes before the wizard is wiped (the last 30 seconds show a countdown). */
  idleMinutes: number;
}

/** What the preload exposes to the renderer. */
export interface DesktopBridge {
  /** Set when started with --kiosk or the kiosk setting: only the applicant's wizard, wiped between applicants. */
  readonly kiosk: KioskOptions | null;
  getConnection(): Promise<ConnectionInfo>;
  getSettings(): Promise<DesktopSettings>;
  /** Saves and restarts the app on the new settings. */
  saveSettings(settings: DesktopSettings): Promise<void>;
  /** After a sign-in: keep the session in the OS keychain ("rester connecté sur ce poste"), or not. */
  rememberSession(remember: boolean): Promise<void>;
  /** Whether this machine keeps a kiosk key for its service; the key itself never comes back to a page. */
  hasKioskKey(): Promise<boolean>;
  /** Keeps the key an admin got when enrolling this kiosk (null: forgets it). Resolves with whether one is kept now. */
  saveKioskKey(key: string | null): Promise<boolean>;
  /** Resolves once the request is on disk. */
  queuePhoneRegistration(request: QueuedPhoneRegistration): Promise<OutboxStatus>;
  queueKioskRegistration(request: QueuedKioskRegistration): Promise<OutboxStatus>;
  getOutboxStatus(): Promise<OutboxStatus>;
  /** Sends what is kept, now (the service is back). */
  replayOutbox(): Promise<OutboxStatus>;
  /** The agent has dealt with a refused request: forget it. */
  dismissRefused(id: string): Promise<OutboxStatus>;
}

export type DesktopFunction = Exclude<keyof DesktopBridge, 'kiosk'>;

export const IPC_CHANNELS = {
  getConnection: 'guichet:get-connection',
  getSettings: 'guichet:get-settings',
  saveSettings: 'guichet:save-settings',
  rememberSession: 'guichet:remember-session',
  hasKioskKey: 'guichet:has-kiosk-key',
  saveKioskKey: 'guichet:save-kiosk-key',
  queuePhoneRegistration: 'guichet:queue-phone-registration',
  queueKioskRegistration: 'guichet:queue-kiosk-registration',
  getOutboxStatus: 'guichet:get-outbox-status',
  replayOutbox: 'guichet:replay-outbox',
  dismissRefused: 'guichet:dismiss-refused',
} as const satisfies Record<DesktopFunction, `guichet:${string}`>;

/** The switch by which main tells the preload that the window is a kiosk: `--guichet-kiosk=<idle minutes>`. */
export const KIOSK_SWITCH = '--guichet-kiosk';

/** The kiosk options carried by a renderer's command line, or null. */
export function kioskFromArguments(argv: readonly string[]): KioskOptions | null {
  const value = argv.find((arg) => arg.startsWith(`${KIOSK_SWITCH}=`))?.slice(KIOSK_SWITCH.length + 1);
  const idleMinutes = Number(value);
  return value !== undefined && Number.isInteger(idleMinutes) && idleMinutes > 0 ? { idleMinutes } : null;
}
