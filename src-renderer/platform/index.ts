// The renderer reaches its host through this one interface: Electron's preload
// exposes `window.guichet`; a plain browser (kiosk or desk) has none and talks
// to the service that served the page.

/** What the desktop preload exposes to the renderer. */
export interface DesktopBridge {
  /** Origin of the bundled or central service, e.g. "http://127.0.0.1:4780". */
  readonly serviceUrl?: string;
}

declare global {
  interface Window {
    guichet?: DesktopBridge;
  }
}

/** Base URL of the JSON API for the current host. */
export function apiBaseUrl(): string {
  const serviceUrl = window.guichet?.serviceUrl;
  return serviceUrl ? `${serviceUrl.replace(/\/+$/, '')}/api` : '/api';
}
