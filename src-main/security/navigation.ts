// Electron security checklist: the window only ever shows the service's own
// pages; anything else is refused, and only plain web links may leave for the
// system browser.

/** True when `target` stays on the service's origin (same scheme, host and port). */
export function isInternalNavigation(target: string, serviceOrigin: string): boolean {
  try {
    return new URL(target).origin === new URL(serviceOrigin).origin;
  } catch {
    return false;
  }
}

/** Links the system browser may open: https only (e.g. the CNIL's password generator), no credentials in the URL. */
export function isSafeExternalLink(target: string): boolean {
  try {
    const url = new URL(target);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
