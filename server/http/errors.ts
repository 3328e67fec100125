import type { ApiError } from '../../common/api/contracts.js';

/** An error the user can act on: sent as its status with a French message, never logged as a fault. */
export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }

  toJSON(): ApiError {
    return this.fields ? { error: this.code, message: this.message, fields: this.fields } : { error: this.code, message: this.message };
  }
}

export function invalidField(field: string, message: string): DomainError {
  return new DomainError(400, 'validation_failed', message, { [field]: message });
}

export const errorResponseSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'Stable machine-readable code' },
    message: { type: 'string', description: 'French message for the user' },
    fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'French message per field path' },
  },
} as const;
