import type { ApiFailure } from './http.js';

/**
 * Someone else holds the request, or it was decided meanwhile: it can only be read now. Other 409s (an account
 * already exists for the address, say) leave the request open for another decision.
 */
export function isDecisionConflict(failure: ApiFailure): boolean {
  return failure.status === 409 && failure.is('claimed_by_other', 'already_decided');
}
