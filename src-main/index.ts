import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, utilityProcess } from 'electron';
import { KIOSK_SWITCH } from '../common/ipc/contract.js';
import { createIpcHandlers } from './app/ipc-handlers.js';
import { startupOptions } from './app/startup.js';
import { createApiProxy } from './connection/api-proxy.js';
import { APP_ENTRY, APP_SCHEME, createAppProtocolHandler } from './connection/app-protocol.js';
import { ServiceClient } from './connection/service-client.js';
import { kioskKeychain, osKeychain } from './credentials/keychain.js';
import { KioskKey } from './credentials/kiosk-key.js';
import { SessionToken } from './credentials/session-token.js';
import { registerIpcHandlers } from './ipc/register.js';
import { DurableOutbox } from './outbox/outbox.js';
import { isInternalNavigation, isSafeExternalLink } from './security/navigation.js';
import { ServiceSupervisor } from './service/supervisor.js';
import { SettingsStore } from './settings/settings-store.js';

// Thin Electron glue: everything it wires together is a plain module tested
// under Node (test/src-main). The window shows the app's own files under the
// guichet:// scheme; the main process forwards their API calls to the bundled
// service (a utility process) or to the central one.
const here = path.dirname(fileURLToPath(import.meta.url));

function log(message: string, detail?: unknown): void {
  console.error(`[guichet] ${message}`, detail ?? '');
}

// Before "ready": a standard, secure scheme gets an origin of its own, storage and fetch.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

function lockDown(kiosk: boolean): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // A kiosk's applicant has nothing to download (and no file dialog to browse the machine with).
  session.defaultSession.on('will-download', (event) => {
    if (kiosk) event.preventDefault();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, target) => {
      if (!isInternalNavigation(target)) event.preventDefault();
    });
    contents.on('will-redirect', (event, target) => {
      if (!isInternalNavigation(target)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // A kiosk keeps the applicant in the wizard: no browser opens on it.
      // Checked first: https only, no credentials in the URL (security/navigation.ts).
      if (!kiosk && isSafeExternalLink(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return { action: 'deny' };
    });
  });
}

function createWindow(kiosk: boolean, idleMinutes: number): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 860,
    title: 'Guichet – Partenaires ANRU',
    show: false,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: kiosk,
    webPreferences: {
      // The preload exposes one function per IPC channel of common/ipc/contract.ts, nothing of Electron itself.
      preload: path.join(here, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: !kiosk && !app.isPackaged,
      additionalArguments: kiosk ? [`${KIOSK_SWITCH}=${idleMinutes}`] : [],
    },
  });
  if (kiosk) window.setMenu(null);
  window.once('ready-to-show', () => window.show());
  return window;
}

async function main(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const settingsStore = new SettingsStore(path.join(userData, 'settings.json'));
  const settings = await settingsStore.load();
  const { kiosk, connection } = startupOptions(process.argv, settings);
  if (kiosk) Menu.setApplicationMenu(null);

  const sessionToken = new SessionToken(osKeychain, connection.serviceUrl);
  // Nobody signs in on a kiosk: it never picks up a desk's session.
  if (!kiosk) await sessionToken.restore().catch((error: unknown) => log('session non restaurée', error));
  // Read at a desk too: a machine started with --no-kiosk still sends what its kiosk kept.
  const kioskKey = new KioskKey(kioskKeychain, connection.serviceUrl);
  await kioskKey.restore().catch((error: unknown) => log('clé de la borne non lue', error));
  const client = new ServiceClient({
    serviceUrl: connection.serviceUrl,
    session: sessionToken,
    kioskKey,
    onKeychainError: (error) => log('trousseau', error),
  });
  const outbox = await DurableOutbox.open(path.join(userData, 'outbox'), { showRefused: !kiosk });

  const supervisor =
    connection.mode === 'local'
      ? new ServiceSupervisor({
          serviceUrl: connection.serviceUrl,
          // First start: migrations and the public-bodies directory take a while on a slow disk.
          startTimeoutMs: 90_000,
          restartDelaysMs: [500, 2_000, 10_000],
          maxCrashes: 5,
          crashWindowMs: 10 * 60_000,
          onStateChange: (state, detail) => log(`service local : ${state}`, detail),
          launch: () =>
            utilityProcess.fork(path.join(here, 'service.js'), [], {
              serviceName: 'Guichet – service local',
              stdio: 'inherit',
              // Its own settings only: a DATABASE_URL of the user's shell must not redirect the desk's data.
              env: {
                PORT: String(settings.localPort),
                HOST: '127.0.0.1',
                DATA_DIR: path.join(userData, 'data'),
                PUBLIC_URL: connection.serviceUrl,
                WEB_ROOT: path.join(here, '../renderer'),
                ...(process.env.SMTP_URL ? { SMTP_URL: process.env.SMTP_URL } : {}),
                ...(process.env.MAIL_FROM ? { MAIL_FROM: process.env.MAIL_FROM } : {}),
              },
            }),
        })
      : null;

  lockDown(kiosk);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ webRoot: path.join(here, '../renderer'), api: createApiProxy(client) }));
  registerIpcHandlers(
    ipcMain,
    createIpcHandlers({
      kiosk,
      connection,
      settings,
      settingsStore,
      session: sessionToken,
      kioskKey,
      outbox,
      client,
      restart: () => {
        app.relaunch();
        app.quit();
      },
    }),
  );
  app.on('before-quit', () => void supervisor?.stop());
  app.on('window-all-closed', () => app.quit());

  // The window opens at once and says it is connecting; the renderer waits for /api/health.
  supervisor?.start().catch((error: unknown) => log('le service local ne démarre pas', error));
  const window = createWindow(kiosk, settings.kioskIdleMinutes);
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  await window.loadURL(APP_ENTRY);
}

// Two instances would share one outbox and one local service port: a second launch brings the first forward.
if (app.requestSingleInstanceLock()) {
  main().catch((error: unknown) => {
    dialog.showErrorBox('Guichet ne peut pas démarrer', error instanceof Error ? error.message : String(error));
    app.quit();
  });
} else {
  app.quit();
}
