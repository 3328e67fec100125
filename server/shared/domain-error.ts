import type { ApiError, ServiceErrorCode } from '../../common/api/errors.js';

/**
 * A refusal the person can act on, raised by any layer: its code says what
 * went wrong, its French message what to do. How it travels (an HTTP status,
 * a CLI exit) is for the caller's edge to decide, never logged as a fault.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
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
  return new DomainError('validation_failed', message, { [field]: message });
}

/** A role that does not allow the action: checked at each route, and again by a service whose rule can change under it. */
export const FORBIDDEN = new DomainError('forbidden', 'Votre rôle ne vous permet pas cette action.');
