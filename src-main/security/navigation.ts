import { isAppUrl } from '../connection/app-protocol.js';

// Electron security checklist: the window only ever shows the app's own
// pages; anything else is refused, and only plain web links may leave for the
// system browser.

/** True when the window may go to `target`: a page of the app itself. */
export function isInternalNavigation(target: string): boolean {
  return isAppUrl(target);
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
