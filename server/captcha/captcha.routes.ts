import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.js';
import { errorResponseSchema } from '../http/errors.js';
import { perClientLimit } from '../http/rate-limits.js';
import { createChallenge } from './captcha.service.js';

export const captchaRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/captcha',
    {
      config: { ...perClientLimit(ctx.config, ctx.config.rateLimitPerMinute * 2), access: 'public' },
      schema: {
        tags: ['captcha'],
        summary: 'A new captcha image (PNG, as a data: URL); its answer is case-sensitive, single use and expires',
        response: {
          200: {
            type: 'object',
            required: ['id', 'image', 'expiresAt'],
            properties: {
              id: { type: 'string' },
              image: { type: 'string', pattern: '^data:image/png;base64,' },
              expiresAt: { type: 'string' },
            },
          },
          429: errorResponseSchema,
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return createChallenge(ctx.db, ctx.clock, { ttlMinutes: ctx.config.captchaTtlMinutes, text: ctx.captchaText });
    },
  );
};
