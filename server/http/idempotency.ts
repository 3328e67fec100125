import type { FastifyRequest } from 'fastify';
import { invalidField } from './errors.js';

/** The client's Idempotency-Key header (e.g. a UUID), checked; null when absent. */
export function idempotencyKey(request: FastifyRequest): string | null {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !/^[\w-]{8,100}$/.test(raw)) {
    throw invalidField('Idempotency-Key', "L'en-tête Idempotency-Key doit compter de 8 à 100 lettres, chiffres, tirets ou soulignés.");
  }
  return raw;
}
