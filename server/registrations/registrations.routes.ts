import * as yup from 'yup';
import { RegistrationResponse } from '../../common/api/contracts.js';
import { CAPTURED_OFFLINE_HEADER, IDEMPOTENCY_HEADER, KIOSK_KEY_HEADER, idempotencyKeySchema, offlineRegistrationSchema, type OfflineRegistration } from '../../common/registration/offline.js';
import { registrationSchema, type RegistrationRequest } from '../../common/registration/steps.js';
import { errorResponseSchema } from '../http/errors.js';
import { perClientLimit } from '../http/rate-limits.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { fromYup } from '../http/validation.js';
import { consumeChallenge } from '../captcha/captcha.service.js';
import { consumeProofOfWork } from '../captcha/proof-of-work.service.js';
import { answerFloor } from '../http/answer-floor.js';
import { idempotencyOf } from '../http/idempotency.js';
import { currentKiosk } from '../http/access.js';
import { kioskOfKey } from '../kiosks/kiosks.service.js';
import { submitRegistration } from './registrations.service.js';

/** Above the slowest usual registration (a new account on PostgreSQL): a known address answers no faster. */
export const REGISTRATION_ANSWER_FLOOR_MS = 50;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const CAPTURED_OFFLINE_MESSAGE = `L'en-tête ${CAPTURED_OFFLINE_HEADER} doit donner la date de la saisie hors ligne (exemple : 2026-12-01T09:00:00.000Z).`;

/** The date a desk or a kiosk says it captured a request offline: it goes into the reason an approver reads. */
const capturedOfflineSchema = yup
  .string()
  .max(40, CAPTURED_OFFLINE_MESSAGE)
  .test('iso-date-time', CAPTURED_OFFLINE_MESSAGE, (value) => value === undefined || (ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))));

/** A kiosk's replay says when its request was captured, and carries the request's own key: sent again after a lost answer, it creates nothing. */
const kioskReplayHeadersSchema = yup.object({
  [IDEMPOTENCY_HEADER.toLowerCase()]: idempotencyKeySchema,
  [CAPTURED_OFFLINE_HEADER.toLowerCase()]: capturedOfflineSchema.required(CAPTURED_OFFLINE_MESSAGE),
});

/** An agent's request replayed from the desk's outbox says when it was typed; one sent live says nothing. */
export const phoneRegistrationHeadersSchema = yup.object({ [CAPTURED_OFFLINE_HEADER.toLowerCase()]: capturedOfflineSchema });

/** The capture date of a request whose headers passed one of the schemas above, as the service writes dates; null when live. */
export function capturedOfflineOf(headers: Record<string, unknown>): string | null {
  const value = headers[CAPTURED_OFFLINE_HEADER.toLowerCase()];
  return typeof value === 'string' ? new Date(value).toISOString() : null;
}

export const registrationRoutes: RoutesPlugin = async (app, { ctx }) => {
  app.post<{ Body: RegistrationRequest }>(
    '/api/registrations',
    {
      config: { ...perClientLimit(ctx.config), access: 'public' },
      schema: {
        tags: ['registrations'],
        summary: 'Submit the 4-step wizard: trusted organisations get the set-password email, others wait for approval',
        body: fromYup(registrationSchema),
        response: {
          202: RegistrationResponse,
          400: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const floor = answerFloor(REGISTRATION_ANSWER_FLOOR_MS);
      const { confirm, ...data } = request.body;
      // The captcha first, even for a retry: a key answered without one would tell a script which of its
      // requests were stored (a new address) and which were not (an address that has an account).
      // The schema lets through exactly one of the two: the image's answer, or the proof of work.
      if (confirm.proofOfWork !== undefined) await consumeProofOfWork(ctx.db, ctx.clock, confirm.proofOfWork);
      else await consumeChallenge(ctx.db, ctx.clock, confirm.captchaId ?? '', confirm.captchaAnswer ?? '');
      // Only an enrolled kiosk's key, which the desktop app's main process adds and the page never holds, makes
      // the request a kiosk's; no header the page could write does. The captcha above is wanted all the same.
      const kiosk = await kioskOfKey(ctx, request.headers[KIOSK_KEY_HEADER.toLowerCase()]);
      // A retry carries a new captcha: the request's fingerprint leaves the confirm step out.
      const result = await submitRegistration(ctx, {
        data,
        channel: kiosk ? 'kiosk' : 'web',
        enteredBy: null,
        // The web scope even for a kiosk: its replay route fingerprints the request with its capture date, and a
        // live attempt whose answer was lost, kept and replayed under the same key must not be refused as another request.
        idempotency: idempotencyOf(request, 'web', data),
        kioskName: kiosk?.name ?? null,
      });
      await floor();
      return reply.code(202).send(result);
    },
  );

  app.post<{ Body: OfflineRegistration }>(
    '/api/kiosk/registrations',
    {
      config: { ...perClientLimit(ctx.config), access: 'kiosk' },
      schema: {
        tags: ['registrations'],
        summary: 'An enrolled kiosk (its key in X-Guichet-Kiosk-Key) replays a request its applicant completed offline: no captcha, always to the approval queue',
        headers: fromYup(kioskReplayHeadersSchema),
        body: fromYup(offlineRegistrationSchema),
        response: {
          202: RegistrationResponse,
          400: errorResponseSchema,
          401: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const kiosk = currentKiosk(request);
      const { confirm: _termsAccepted, ...data } = request.body;
      const capturedOffline = capturedOfflineOf(request.headers);
      const result = await submitRegistration(ctx, {
        data,
        channel: 'kiosk',
        enteredBy: null,
        idempotency: idempotencyOf(request, `kiosk:${kiosk.id}`, { data, capturedOffline }),
        capturedOffline,
        kioskName: kiosk.name,
      });
      return reply.code(202).send(result);
    },
  );
};
