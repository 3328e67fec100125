// A kiosk serves one applicant after another: what one typed must be gone
// before the next walks up. The wizard is wiped after a few idle minutes (with
// a visible countdown first, so that a slow reader can say "still here"), and
// shortly after a completed request, whatever happens meanwhile.

/** Where the kiosk is: its welcome page (nothing typed yet), the wizard, or the outcome of a request. */
export type KioskScreen = 'welcome' | 'wizard' | 'done';

export interface KioskTiming {
  /** Idle time on the wizard before the countdown shows. */
  idleMs: number;
  /** Length of that countdown. */
  countdownMs: number;
  /** How long the outcome of a request stays on screen. */
  doneMs: number;
}

export type KioskPhase = { kind: 'active' } | { kind: 'countdown'; secondsLeft: number } | { kind: 'reset' };

const COUNTDOWN_MS = 30_000;

/** Timing for an idle delay in minutes, as set on the kiosk: the countdown comes out of that delay. */
export function kioskTiming(idleMinutes: number): KioskTiming {
  const total = idleMinutes * 60_000;
  return { idleMs: Math.max(0, total - COUNTDOWN_MS), countdownMs: Math.min(total, COUNTDOWN_MS), doneMs: COUNTDOWN_MS };
}

/**
 * The phase at `now`, for a screen entered or last touched at `since` (the
 * applicant's last keystroke, click or touch on the wizard; the completion
 * time on the outcome, which activity does not extend).
 */
export function kioskPhase(screen: KioskScreen, since: number, now: number, timing: KioskTiming): KioskPhase {
  if (screen === 'welcome') return { kind: 'active' };
  const elapsed = Math.max(0, now - since);
  const countdownStart = screen === 'wizard' ? timing.idleMs : 0;
  const end = screen === 'wizard' ? timing.idleMs + timing.countdownMs : timing.doneMs;
  if (elapsed >= end) return { kind: 'reset' };
  if (elapsed < countdownStart) return { kind: 'active' };
  return { kind: 'countdown', secondsLeft: Math.ceil((end - elapsed) / 1000) };
}
