import * as yup from 'yup';
import { requestNewLinkSchema, setPasswordSchema, signInSchema } from '../../common/accounts/schemas.js';
import { AcceptedResponse, SessionResponse, SignInResponse, TokenStatusResponse } from '../../common/api/contracts.js';
import { SESSION_TRANSPORT_HEADER } from '../../common/api/desktop-session.js';
import { currentUser, SESSION_COOKIE, sessionToken } from '../http/access.js';
import { answerFloor } from '../http/answer-floor.js';
import { errorResponseSchema } from '../http/errors.js';
import { perClientLimit } from '../http/rate-limits.js';
import { noContent } from '../http/route-schemas.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { fromYup } from '../http/validation.js';
import { sendNewLink, setPassword, tokenStatus } from './accounts.service.js';
import { signIn, signOut, signOutEverywhere, toSessionResponse } from './sessions.service.js';
import { UNKNOWN_FIELD } from '../../common/validation/locale.js';

const tokenOnlySchema = yup.object({ token: setPasswordSchema.fields.token }).exact(UNKNOWN_FIELD);

/** "Rester connecté" on the web: only then does the cookie outlive the browser (until the session's absolute end). */
const signInRequestSchema = signInSchema.shape({ remember: yup.boolean().strict() });

export const NEW_LINK_MESSAGE =
  'Si un compte correspond à cette adresse, un nouveau lien vient de lui être envoyé par e-mail. Pensez à vérifier vos courriers indésirables.';

/** Above the time a new link takes to issue and queue on PostgreSQL: an unknown address answers no faster. */
export const NEW_LINK_ANSWER_FLOOR_MS = 40;
/** Above one argon2 verification plus the failure counters' writes, which only a known account has. */
export const SIGN_IN_ANSWER_FLOOR_MS = 50;

export const accountRoutes: RoutesPlugin = async (app, { ctx }) => {
  const secureCookie = ctx.config.publicUrl.startsWith('https:');

  app.post<{ Body: { token: string } }>(
    '/api/password/token-status',
    {
      config: { ...perClientLimit(ctx.config), access: 'public' },
      schema: {
        tags: ['accounts'],
        summary: 'Whether a set-password link can still be used',
        body: fromYup(tokenOnlySchema),
        response: {
          200: TokenStatusResponse,
          400: errorResponseSchema,
          404: errorResponseSchema,
          410: errorResponseSchema,
        },
      },
    },
    async (request) => tokenStatus(ctx, request.body.token),
  );

  app.post<{ Body: yup.InferType<typeof setPasswordSchema> }>(
    '/api/password',
    {
      config: { ...perClientLimit(ctx.config), access: 'public' },
      schema: {
        tags: ['accounts'],
        summary: 'Set the password with the emailed link (typed twice); the link is then spent',
        body: fromYup(setPasswordSchema),
        response: { 200: AcceptedResponse, 400: errorResponseSchema, 404: errorResponseSchema, 410: errorResponseSchema },
      },
    },
    async (request) => {
      await setPassword(ctx, request.body.token, request.body.password);
      return { message: 'Votre mot de passe est enregistré. La procédure d\'enregistrement est désormais terminée.' };
    },
  );

  app.post<{ Body: yup.InferType<typeof requestNewLinkSchema> }>(
    '/api/password/new-link',
    {
      config: { ...perClientLimit(ctx.config, Math.max(1, Math.floor(ctx.config.rateLimitPerMinute / 3))), access: 'public' },
      schema: {
        tags: ['accounts'],
        summary: 'Email a new set-password link; the same answer whether or not the address has an account',
        body: fromYup(requestNewLinkSchema),
        response: { 202: AcceptedResponse, 400: errorResponseSchema, 429: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const floor = answerFloor(NEW_LINK_ANSWER_FLOOR_MS);
      await sendNewLink(ctx, request.body.email);
      await floor();
      return reply.code(202).send({ message: NEW_LINK_MESSAGE });
    },
  );

  app.post<{ Body: yup.InferType<typeof signInRequestSchema> }>(
    '/api/session',
    {
      config: { ...perClientLimit(ctx.config), access: 'public' },
      schema: {
        tags: ['accounts'],
        summary: 'Sign in; sets an httpOnly session cookie, which ends with the browser unless remember is true',
        body: fromYup(signInRequestSchema),
        response: {
          200: SignInResponse,
          400: errorResponseSchema,
          401: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const floor = answerFloor(SIGN_IN_ANSWER_FLOOR_MS);
      let signed;
      try {
        signed = await signIn(ctx, request.body.email, request.body.password, request.ip);
      } finally {
        await floor();
      }
      reply.setCookie(SESSION_COOKIE, signed.token, {
        path: '/api',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookie,
        ...(request.body.remember ? { expires: new Date(signed.expiresAt) } : {}),
      });
      // The desktop app keeps the token itself (memory or OS keychain) and sends it as a bearer token.
      if (request.headers[SESSION_TRANSPORT_HEADER.toLowerCase()] === 'bearer') {
        return { ...toSessionResponse(signed.user), token: signed.token, expiresAt: signed.expiresAt };
      }
      return toSessionResponse(signed.user);
    },
  );

  app.get(
    '/api/session',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['accounts'],
        summary: 'Who is signed in',
        response: { 200: SessionResponse, 401: errorResponseSchema },
      },
    },
    async (request) => toSessionResponse(currentUser(request)),
  );

  app.post(
    '/api/session/revoke-all',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['accounts'], summary: 'Sign out everywhere: every session of the signed-in person ends', response: { 204: noContent, 401: errorResponseSchema } },
    },
    async (request, reply) => {
      await signOutEverywhere(ctx, currentUser(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/api' });
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/session',
    { config: { access: 'public' }, schema: { tags: ['accounts'], summary: 'Sign out', response: { 204: noContent } } },
    async (request, reply) => {
      await signOut(ctx, sessionToken(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/api' });
      return reply.code(204).send();
    },
  );
};
