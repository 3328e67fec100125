import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import { isInternalNavigation, isSafeExternalLink } from './security/navigation.js';
import { freeLoopbackPort, waitForHealth } from './service/health.js';

// Thin Electron glue: start the bundled service, then show its web UI in a
// locked-down window. The logic lives in plain modules tested under Node.
const here = path.dirname(fileURLToPath(import.meta.url));
let service: UtilityProcess | null = null;

async function startService(): Promise<string> {
  const port = await freeLoopbackPort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const dataDir = path.join(app.getPath('userData'), 'data');
  service = utilityProcess.fork(path.join(here, 'service.js'), [], {
    serviceName: 'Guichet service',
    stdio: 'inherit',
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PUBLIC_URL: process.env.PUBLIC_URL ?? serviceUrl,
      WEB_ROOT: path.join(here, '../renderer'),
    },
  });
  await waitForHealth(serviceUrl, 30_000);
  return serviceUrl;
}

function lockDown(serviceUrl: string): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, target) => {
      if (!isInternalNavigation(target, serviceUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

async function createWindow(serviceUrl: string): Promise<void> {
  const window = new BrowserWindow({
    width: 1200,
    height: 860,
    title: 'Guichet – Partenaires ANRU',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      additionalArguments: [`--guichet-service-url=${serviceUrl}`],
    },
  });
  await window.loadURL(`${serviceUrl}/`);
}

app.whenReady().then(
  async () => {
    try {
      const serviceUrl = await startService();
      lockDown(serviceUrl);
      await createWindow(serviceUrl);
    } catch (error) {
      dialog.showErrorBox('Guichet ne peut pas démarrer', error instanceof Error ? error.message : String(error));
      app.quit();
    }
  },
  () => app.quit(),
);

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => {
  service?.kill();
});
