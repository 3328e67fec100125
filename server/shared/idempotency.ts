/**
 * A key as the service keeps it: whose it is (`scope`: the public form, one
 * kiosk, one staff account), and a fingerprint of the request it came with.
 * Another client's same key is another key; the same key with another
 * request is a client's mistake, refused rather than answered for the first.
 */
export interface Idempotency {
  scope: string;
  key: string;
  bodyHash: string;
}
