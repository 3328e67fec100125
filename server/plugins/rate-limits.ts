import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { ErrorCode } from '../../common/api/errors.js';
import type { AppContext } from '../context.js';
import { databaseRateLimitStore } from '../http/rate-limit-store.js';

/** Per-client limits, counted in the database so that every instance agrees; each route states its own (http/rate-limits.ts). */
export const rateLimits = fp<{ ctx: AppContext }>(async (app, { ctx }) => {
  await app.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore(ctx.db, ctx.clock),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'too_many_requests' satisfies ErrorCode,
      message: `Trop de demandes depuis ce poste : réessayez dans ${Math.ceil(context.ttl / 1000)} secondes.`,
    }),
  });
});
