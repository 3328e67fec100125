import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { invalidField } from '../shared/domain-error.js';
import type { Idempotency } from '../shared/idempotency.js';

/** The client's Idempotency-Key header (e.g. a UUID), checked; null when absent. */
export function idempotencyKey(request: FastifyRequest): string | null {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !/^[\w-]{8,100}$/.test(raw)) {
    throw invalidField('Idempotency-Key', "L'en-tête Idempotency-Key doit compter de 8 à 100 lettres, chiffres, tirets ou soulignés.");
  }
  return raw;
}

/** JSON with every object's keys in order, so that one request always gives one text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The request's key in its scope, with the fingerprint of `request` (what was asked, as validated); null without a key. */
export function idempotencyOf(request: FastifyRequest, scope: string, asked: unknown): Idempotency | null {
  const key = idempotencyKey(request);
  if (key === null) return null;
  return { scope, key, bodyHash: createHash('sha256').update(canonical(asked)).digest('hex') };
}
