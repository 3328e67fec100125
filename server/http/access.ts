import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KIOSK_KEY_HEADER } from '../../common/registration/offline.js';
import type { Role } from '../../common/staff/roles.js';
import { sessionUser, type SessionUser } from '../accounts/sessions.service.js';
import type { AppContext } from '../context.js';
import type { KioskDevice } from '../db/schema.js';
import { KIOSK_NOT_ENROLLED, kioskOfKey } from '../kiosks/kiosks.service.js';
import { DomainError } from './errors.js';

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

export const NOT_SIGNED_IN = new DomainError(401, 'not_signed_in', "Vous n'êtes pas connecté, ou votre session a expiré. Connectez-vous.");
export const FORBIDDEN = new DomainError(403, 'forbidden', "Votre rôle ne vous permet pas cette action.");

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
export function installAccessControl(app: FastifyInstance, ctx: AppContext): void {
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
      request.kiosk = await kioskOfKey(ctx, request.headers[KIOSK_KEY_HEADER.toLowerCase()]);
      if (!request.kiosk) throw KIOSK_NOT_ENROLLED;
      return;
    }
    request.user = await sessionUser(ctx, sessionToken(request));
    if (!request.user) throw NOT_SIGNED_IN;
    if (access !== 'signed-in' && !access.includes(request.user.role)) throw FORBIDDEN;
  });
}
