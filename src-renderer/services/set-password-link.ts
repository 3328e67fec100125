import type { ErrorCode } from '../../common/api/errors.js';
import type { ApiFailure } from './http.js';

/** Why a set-password link no longer works: the page words each one its own way. */
export const LINK_PROBLEMS = ['token_expired', 'token_used', 'token_superseded', 'token_invalid'] as const satisfies readonly ErrorCode[];

export type LinkProblem = (typeof LINK_PROBLEMS)[number];

/**
 * What is wrong with the link when the service refused the link itself (410: spent or expired, whatever its
 * code); null when it refused something else, or could not answer.
 */
export function linkProblem(failure: ApiFailure): LinkProblem | null {
  return LINK_PROBLEMS.find((problem) => failure.is(problem)) ?? (failure.status === 410 ? 'token_invalid' : null);
}
