import type { ConnectionInfo } from '../../common/ipc/contract.js';
import type { DesktopSettings } from '../../common/ipc/schemas.js';

// How this run of the app behaves, from its command line and its settings.

export interface StartupOptions {
  kiosk: boolean;
  connection: ConnectionInfo;
}

/**
 * `--kiosk` forces the kiosk on (an admin's shortcut on a kiosk machine);
 * `--no-kiosk` forces it off, so that an admin can reach the settings of a
 * machine whose settings say "kiosk".
 */
export function startupOptions(argv: readonly string[], settings: DesktopSettings): StartupOptions {
  const kiosk = argv.includes('--kiosk') || (settings.kiosk && !argv.includes('--no-kiosk'));
  const connection: ConnectionInfo =
    settings.connection === 'central'
      ? { mode: 'central', serviceUrl: settings.centralUrl }
      : { mode: 'local', serviceUrl: `http://127.0.0.1:${settings.localPort}` };
  return { kiosk, connection };
}
