import { SESSION_TRANSPORT_HEADER, type BearerSignInResponse } from '../../common/api/desktop-session.js';
import type { ApiError } from '../../common/api/errors.js';
import type { ServiceClient } from './service-client.js';

// The renderer calls /api/… on its own origin, as in a browser; the main
// process forwards each call to the service (bundled or central). The page
// thus never talks to the network itself, needs no CORS, and never holds the
// session: the token stays here (see SessionToken), cookies are dropped.

/** Request headers the renderer may send on to the service; anything else (cookies, authorization) stays behind. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'idempotency-key'];

/** Response headers that describe the service's connection, not the body handed to the page. */
const DROPPED_RESPONSE_HEADERS = new Set(['set-cookie', 'content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

const UNREACHABLE: ApiError = {
  error: 'service_unreachable',
  message: 'Le service Guichet est injoignable. Vérifiez la connexion de ce poste ; les demandes terminées sont conservées et seront transmises à son retour.',
};

const NO_TOKEN: ApiError = {
  error: 'service_outdated',
  message: 'Le service Guichet n\'a pas fourni de session à l\'application de bureau : sa version est trop ancienne. Prévenez l\'administrateur.',
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
}

function isBearerSignIn(value: unknown): value is BearerSignInResponse {
  const v = value as Partial<BearerSignInResponse> | null;
  return typeof v?.token === 'string' && v.token.length > 0;
}

function pageHeaders(from: Headers): Headers {
  const headers = new Headers();
  from.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  });
  return headers;
}

/** Handles a request of the page to `<app origin>/api/…`. */
export function createApiProxy(client: ServiceClient): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const path = `${url.pathname.replace(/^\/api\//, '')}${url.search}`;
    const method = request.method.toUpperCase();
    const signIn = method === 'POST' && url.pathname === '/api/session';
    const signOut = method === 'DELETE' && url.pathname === '/api/session';
    // A kiosk's live registrations carry its key so that the service records them as the kiosk's.
    const registration = method === 'POST' && url.pathname === '/api/registrations';

    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    if (signIn) headers[SESSION_TRANSPORT_HEADER.toLowerCase()] = 'bearer';
    const body = method === 'GET' || method === 'HEAD' ? null : await request.arrayBuffer();

    const response = await client.call(path, { method, headers, body, withSession: !signIn, withKioskKey: registration });
    // Signing out ends the session on this desk even when the service cannot be told.
    if (signOut) await client.forgetSession();
    if (!response) return json(504, UNREACHABLE);
    if (!signIn || response.status !== 200) return new Response(response.body, { status: response.status, headers: pageHeaders(response.headers) });

    const answer: unknown = await response.json().catch(() => null);
    if (!isBearerSignIn(answer)) return json(502, NO_TOKEN);
    const { token, expiresAt: _expiresAt, ...session } = answer;
    await client.sessionStarted(token);
    return json(200, session);
  };
}
