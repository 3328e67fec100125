import type { FastifyPluginAsync } from 'fastify';
import { registrationSchema, type RegistrationRequest } from '../../common/registration/steps.js';
import type { AppContext } from '../context.js';
import type { Channel } from '../db/schema.js';
import { errorResponseSchema } from '../http/errors.js';
import { perClientLimit } from '../http/rate-limits.js';
import { fromYup } from '../http/validation.js';
import { consumeChallenge } from '../captcha/captcha.service.js';
import { answerFloor } from '../http/answer-floor.js';
import { idempotencyKey } from '../http/idempotency.js';
import { replayOf, submitRegistration } from './registrations.service.js';

/** Above the slowest usual registration (a new account on PostgreSQL): a known address answers no faster. */
export const REGISTRATION_ANSWER_FLOOR_MS = 50;

/** A kiosk says so in a header; anything else is the web form. */
function channelOf(header: string | string[] | undefined): Channel {
  return header === 'kiosk' ? 'kiosk' : 'web';
}

export const registrationRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post<{ Body: RegistrationRequest }>(
    '/api/registrations',
    {
      config: { ...perClientLimit(ctx.config), access: 'public' },
      schema: {
        tags: ['registrations'],
        summary: 'Submit the 4-step wizard: trusted organisations get the set-password email, others wait for approval',
        body: fromYup(registrationSchema),
        response: {
          202: {
            type: 'object',
            required: ['outcome', 'message'],
            properties: { outcome: { type: 'string', enum: ['invitation_sent', 'pending_approval'] }, message: { type: 'string' } },
          },
          400: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const floor = answerFloor(REGISTRATION_ANSWER_FLOOR_MS);
      const key = idempotencyKey(request);
      const replayed = await replayOf(ctx, key);
      if (replayed) return reply.code(202).send(replayed);
      const { confirm, ...data } = request.body;
      await consumeChallenge(ctx.db, ctx.clock, confirm.captchaId, confirm.captchaAnswer);
      const result = await submitRegistration(ctx, { data, channel: channelOf(request.headers['x-guichet-channel']), enteredBy: null, idempotencyKey: key });
      await floor();
      return reply.code(202).send(result);
    },
  );
};
