import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.js';
import { errorResponseSchema } from '../http/errors.js';
import { perClientLimit } from '../http/rate-limits.js';
import { createProofOfWork } from './proof-of-work.service.js';

const challengeSchema = {
  type: 'object',
  required: ['parameters', 'signature'],
  properties: {
    parameters: {
      type: 'object',
      // Every parameter is signed: none may be dropped on the way out.
      additionalProperties: true,
      required: ['algorithm', 'nonce', 'salt', 'cost', 'keyLength', 'keyPrefix', 'expiresAt'],
      properties: {
        algorithm: { type: 'string' },
        nonce: { type: 'string' },
        salt: { type: 'string' },
        cost: { type: 'integer' },
        keyLength: { type: 'integer' },
        keyPrefix: { type: 'string' },
        keySignature: { type: 'string' },
        expiresAt: { type: 'integer', description: 'Unix time, in seconds' },
      },
    },
    signature: { type: 'string' },
  },
} as const;

export const proofOfWorkRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/proof-of-work',
    {
      config: { ...perClientLimit(ctx.config, ctx.config.rateLimitPerMinute * 2), access: 'public' },
      schema: {
        tags: ['captcha'],
        summary:
          'Instead of the captcha image: an ALTCHA (v2, PBKDF2/SHA-256) challenge signed by the service; its solution goes in confirm.proofOfWork, once, before it expires',
        response: { 200: challengeSchema, 429: errorResponseSchema },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return createProofOfWork(ctx.db, ctx.clock, { ttlMinutes: ctx.config.captchaTtlMinutes, maxNumber: ctx.config.proofOfWorkMaxNumber });
    },
  );
};
