import type { Clock } from '../../server/shared/time.js';

/** A clock tests move forward to expire links, captchas and sessions. */
export class TestClock implements Clock {
  private current: number;

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

export const HOUR = 3_600_000;
