import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** Per-route rate-limit settings (the plugin is registered with global: false). */
export function perClientLimit(config: Config, max = config.rateLimitPerMinute) {
  return {
    rateLimit: {
      max,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => request.ip,
    },
  };
}
