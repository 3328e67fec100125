import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KIOSK_KEY_HEADER } from '../../common/registration/offline.js';
import type { Role } from '../../common/staff/roles.js';
import type { KioskDevice } from '../db/schema.js';
import { DomainError, FORBIDDEN } from '../shared/domain-error.js';
import type { SessionUser } from '../shared/session-user.js';

/**
 * Who may call a route: anyone, any signed-in person, the listed roles, or an
 * enrolled kiosk (by its key; a person's session gives no kiosk rights).
 */
export type Access = 'public' | 'signed-in' | 'kiosk' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    /** The enrolled kiosk calling a kiosk route. */
    kiosk: KioskDevice | null;
  }
  interface FastifyInstance {
    /** Every /api route with who may call it: the role-matrix test walks it. */
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export const SESSION_COOKIE = 'guichet_session';

export const NOT_SIGNED_IN = new DomainError('not_signed_in', "Vous n'êtes pas connecté, ou votre session a expiré. Connectez-vous.");
export const KIOSK_NOT_ENROLLED = new DomainError(
  'kiosk_not_enrolled',
  "Cette borne n'est pas reconnue par le service : sa clé manque, est erronée ou a été révoquée. Un administrateur doit enregistrer la borne (page « Bornes » de l'espace personnel) et saisir sa clé dans les paramètres du poste.",
);

/** How callers are recognised: given by the app, the HTTP layer itself knowing neither sessions nor kiosks. */
export interface CallerLookup {
  /** The account of a session token, or null (none, expired, idle too long, account no longer active). */
  user(token: string | undefined): Promise<SessionUser | null>;
  /** The enrolled kiosk of a kiosk key, or null. */
  kiosk(key: string | string[] | undefined): Promise<KioskDevice | null>;
}

/** The session token: the httpOnly cookie of the web UI, or a bearer token (desktop app). */
export function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return request.cookies[SESSION_COOKIE];
}

/** The signed-in user of a route that requires one. */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw NOT_SIGNED_IN;
  return request.user;
}

/** The enrolled kiosk calling a kiosk route. */
export function currentKiosk(request: FastifyRequest): KioskDevice {
  if (!request.kiosk) throw KIOSK_NOT_ENROLLED;
  return request.kiosk;
}

/**
 * Least privilege by construction: an /api route that does not state its
 * access stops the service at boot, and every call is checked before its
 * input is even read.
 */
export function installAccessControl(app: FastifyInstance, callers: CallerLookup): void {
  app.decorateRequest('user', null);
  app.decorateRequest('kiosk', null);
  const routes: RouteAccess[] = [];
  app.decorate('routeAccess', routes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} must state who may call it (config.access).`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, access });
  });
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    if (access === 'kiosk') {
      request.kiosk = await callers.kiosk(request.headers[KIOSK_KEY_HEADER.toLowerCase()]);
      if (!request.kiosk) throw KIOSK_NOT_ENROLLED;
      return;
    }
    request.user = await callers.user(sessionToken(request));
    if (!request.user) throw NOT_SIGNED_IN;
    if (access !== 'signed-in' && !access.includes(request.user.role)) throw FORBIDDEN;
  });
}
