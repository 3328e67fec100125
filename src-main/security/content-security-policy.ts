// The renderer's Content Security Policy: its own scripts, styles and fonts
// only, data: images (the captcha), and calls to its own origin (the API, which
// the main process forwards). src-renderer/index.html states the same policy
// in a meta tag, for every host of the page; a test keeps the two equal.

/** The policy as a page can state it itself (a meta tag cannot carry frame-ancestors). */
export const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/** The header on every response of the app protocol. */
export const CONTENT_SECURITY_POLICY = `${PAGE_POLICY}; frame-ancestors 'none'`;
