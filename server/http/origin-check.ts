import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_TRANSPORT_HEADER } from '../../common/api/desktop-session.js';
import { SESSION_COOKIE } from './access.js';
import { DomainError } from '../shared/domain-error.js';

export const CROSS_ORIGIN = new DomainError(
  'cross_origin',
  "Cette demande ne vient pas d'une page du Guichet : elle est refusée. Ouvrez le Guichet à son adresse habituelle et recommencez.",
);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether the browser would have sent this request with a person's session
 * of its own accord: the session cookie goes with any request to the
 * service, whichever page asked for it. A bearer token is only sent by the
 * desktop app, which holds it, and a kiosk's key by the kiosk. Signing in
 * sets the cookie (another site could sign the browser into its own
 * account): it is checked as well, unless it asks for a bearer token, a
 * header no other site's page can add without the service's consent.
 */
function browserCredentials(request: FastifyRequest): boolean {
  if (request.headers.authorization?.startsWith('Bearer ')) return false;
  if (request.cookies[SESSION_COOKIE] !== undefined) return true;
  return request.url.split('?')[0] === '/api/session' && request.headers[SESSION_TRANSPORT_HEADER.toLowerCase()] !== 'bearer';
}

/** The page that sent the request is served by the address the request was sent to. */
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Cookie-carried state changes only from the Guichet's own pages: their
 * Origin is PUBLIC_URL's, or the very address the request was sent to (a
 * desk reached on the local network by another name than PUBLIC_URL's), or
 * the browser says the page and the service are one origin (Sec-Fetch-Site:
 * a development server or relay in between). A request that says none of
 * these is refused: every browser Guichet supports sends Origin with them.
 */
export function installOriginCheck(app: FastifyInstance, publicUrl: string): void {
  const ownOrigin = new URL(publicUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    if (!browserCredentials(request)) return;
    if (request.headers['sec-fetch-site'] === 'same-origin') return;
    const origin = request.headers.origin;
    if (origin !== undefined && (origin === ownOrigin || sameHost(origin, request.headers.host))) return;
    throw CROSS_ORIGIN;
  });
}
