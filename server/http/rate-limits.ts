import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { LEASED } from './rate-limit-store.js';

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

/**
 * For routes that only read: when the counter cannot be written (another
 * process holds the SQLite database for writing, a directory import say), the
 * request is served uncounted rather than refused; and hits are taken from
 * the shared counter a block at a time (rate-limit-store.ts).
 */
export function perClientReadLimit(config: Config, max: number) {
  const { rateLimit } = perClientLimit(config, max);
  return { rateLimit: { ...rateLimit, skipOnError: true, [LEASED]: true } };
}
