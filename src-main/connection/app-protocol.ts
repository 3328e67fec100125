import fs from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy.js';

// The window loads the renderer from the app's own files under a privileged
// custom scheme, never from file:// (which would open the whole disk to it)
// nor from the service (the wizard must open while the service is down). The
// API under the same origin is forwarded to the service by the main process.

export const APP_SCHEME = 'guichet';
export const APP_HOST = 'app';
/** Spelt out: for a custom scheme, Node's URL.origin is "null". */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}

/** True for a URL of the app's own origin. */
export function isAppUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

export interface AppProtocolOptions {
  /** The built renderer (out/renderer). */
  webRoot: string;
  /** Handles <origin>/api/…: the service, through the main process. */
  api: (request: Request) => Promise<Response>;
}

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const root = path.resolve(options.webRoot);
  return async (request) => {
    if (!isAppUrl(request.url)) return plain(404, 'Introuvable.');
    const url = new URL(request.url);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return options.api(request);
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Méthode non autorisée.');
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      return plain(404, 'Introuvable.');
    }
    const file = path.resolve(root, `.${relative === '/' ? '/index.html' : relative}`);
    // Nothing outside the renderer's folder, whatever "..", encoded or not, the path holds.
    if (!file.startsWith(`${root}${path.sep}`)) return plain(404, 'Introuvable.');
    let content: Buffer;
    try {
      content = await fs.readFile(file);
    } catch {
      return plain(404, 'Introuvable.');
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(content), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': type },
    });
  };
}
