import { CaptchaChallenge } from '../../common/api/contracts.js';
import { errorResponseSchema } from '../http/errors.js';
import { perClientLimit } from '../http/rate-limits.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { createChallenge } from './captcha.service.js';

export const captchaRoutes: RoutesPlugin = async (app, { ctx }) => {
  app.post(
    '/api/captcha',
    {
      config: { ...perClientLimit(ctx.config, ctx.config.rateLimitPerMinute * 2), access: 'public' },
      schema: {
        tags: ['captcha'],
        summary: 'A new captcha image (PNG, as a data: URL); its answer is case-sensitive, single use and expires',
        response: {
          200: CaptchaChallenge,
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
