import { ProofOfWorkChallenge } from '../../common/api/contracts.js';
import { errorResponseSchema } from '../http/errors.js';
import { perClientLimit } from '../http/rate-limits.js';
import type { RoutesPlugin } from '../http/routes-plugin.js';
import { createProofOfWork } from './proof-of-work.service.js';

export const proofOfWorkRoutes: RoutesPlugin = async (app, { ctx }) => {
  app.post(
    '/api/proof-of-work',
    {
      config: { ...perClientLimit(ctx.config, ctx.config.rateLimitPerMinute * 2), access: 'public' },
      schema: {
        tags: ['captcha'],
        summary:
          'Instead of the captcha image: an ALTCHA (v2, PBKDF2/SHA-256) challenge signed by the service; its solution goes in confirm.proofOfWork, once, before it expires',
        response: { 200: ProofOfWorkChallenge, 429: errorResponseSchema },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return createProofOfWork(ctx.db, ctx.clock, { ttlMinutes: ctx.config.captchaTtlMinutes, maxNumber: ctx.config.proofOfWorkMaxNumber });
    },
  );
};
