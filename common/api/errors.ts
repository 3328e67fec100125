// The machine-readable codes of every failed answer: the service's own, and
// the few a client makes up when the service could not answer at all. The
// renderer and the desktop app branch on these, never on the French message.

/** Codes the service answers with, each always with the same HTTP status (server/http/error-status.ts). */
export type ServiceErrorCode =
  // The request itself: its form, size or fields.
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_body'
  | 'invalid_url'
  | 'json_too_deep'
  | 'body_too_large'
  | 'url_too_long'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'free_mail_domain'
  | 'captcha_expired'
  | 'captcha_mismatch'
  | 'proof_of_work_expired'
  | 'proof_of_work_used'
  | 'proof_of_work_forged'
  | 'proof_of_work_mismatch'
  // Who is calling.
  | 'not_signed_in'
  | 'invalid_credentials'
  | 'kiosk_not_enrolled'
  | 'forbidden'
  | 'cross_origin'
  | 'own_entry'
  | 'legal_category_admin_only'
  // What is asked for does not exist.
  | 'not_found'
  | 'request_not_found'
  | 'organisation_not_found'
  | 'reason_not_found'
  | 'staff_not_found'
  | 'kiosk_not_found'
  | 'trust_rule_not_found'
  | 'domain_not_verified'
  | 'token_invalid'
  // It exists, but its state forbids the change.
  | 'account_exists'
  | 'no_account'
  | 'already_active'
  | 'already_decided'
  | 'already_disabled'
  | 'not_disabled'
  | 'same_role'
  | 'last_admin'
  | 'claimed_by_other'
  | 'already_in_directory'
  | 'not_off_directory'
  | 'domain_already_verified'
  | 'trust_rule_exists'
  | 'kiosk_name_taken'
  | 'kiosk_already_revoked'
  | 'idempotency_key_reused'
  // A set-password link that no longer works.
  | 'token_expired'
  | 'token_used'
  | 'token_superseded'
  // Too many at once.
  | 'too_many_requests'
  | 'invitation_limit'
  // The service itself.
  | 'service_busy'
  | 'storage_full'
  | 'internal_error';

/** Codes a client gives a failure the service did not describe (no answer, or not one of its own). */
export type ClientErrorCode = 'service_unreachable' | 'service_outdated' | 'unexpected_answer';

export type ErrorCode = ServiceErrorCode | ClientErrorCode;

/** Every 4xx/5xx answer. `fields` maps a field path (e.g. "contact.email") to its French message. */
export interface ApiError {
  error: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}
