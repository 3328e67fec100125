import { describe, expect, it } from 'vitest';
import { kioskPhase, kioskTiming } from '../../../common/kiosk/idle.js';

const MINUTE = 60_000;
const timing = kioskTiming(3);

describe('kiosk idle reset', () => {
  it('takes the 30-second countdown out of the idle delay', () => {
    expect(timing).toEqual({ idleMs: 2.5 * MINUTE, countdownMs: 30_000, doneMs: 30_000 });
    expect(kioskTiming(1)).toEqual({ idleMs: 30_000, countdownMs: 30_000, doneMs: 30_000 });
  });

  it('never resets the welcome page: there is nothing to wipe', () => {
    expect(kioskPhase('welcome', 0, 24 * 60 * MINUTE, timing)).toEqual({ kind: 'active' });
  });

  it('counts down on an idle wizard, then resets', () => {
    const since = 1_000_000;
    expect(kioskPhase('wizard', since, since + 2.5 * MINUTE - 1, timing)).toEqual({ kind: 'active' });
    expect(kioskPhase('wizard', since, since + 2.5 * MINUTE, timing)).toEqual({ kind: 'countdown', secondsLeft: 30 });
    expect(kioskPhase('wizard', since, since + 3 * MINUTE - 1_500, timing)).toEqual({ kind: 'countdown', secondsLeft: 2 });
    expect(kioskPhase('wizard', since, since + 3 * MINUTE, timing)).toEqual({ kind: 'reset' });
  });

  it('restarts the delay from the last activity', () => {
    const lastTouch = 5 * MINUTE;
    expect(kioskPhase('wizard', lastTouch, lastTouch + 2 * MINUTE, timing)).toEqual({ kind: 'active' });
  });

  it('shows the outcome with its countdown from the start, then resets', () => {
    const done = 7 * MINUTE;
    expect(kioskPhase('done', done, done, timing)).toEqual({ kind: 'countdown', secondsLeft: 30 });
    expect(kioskPhase('done', done, done + 29_001, timing)).toEqual({ kind: 'countdown', secondsLeft: 1 });
    expect(kioskPhase('done', done, done + 30_000, timing)).toEqual({ kind: 'reset' });
  });

  it('does not go backwards if the clock does', () => {
    expect(kioskPhase('wizard', 10 * MINUTE, 9 * MINUTE, timing)).toEqual({ kind: 'active' });
  });
});
