// Between two applicants, a kiosk forgets everything: the drafts (kept in
// sessionStorage there) and, through a full reload of the page, every form,
// store, captcha and pending call of the previous one. Only the outbox stays:
// it holds requests not yet sent, and is never shown on a kiosk.

export function resetKiosk(): void {
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '#/');
  window.location.reload();
}
