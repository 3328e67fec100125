import { performance } from 'node:perf_hooks';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface TimingComparison {
  known: number;
  unknown: number;
  /** |known − unknown| in milliseconds. */
  gap: number;
}

/**
 * Times two kinds of attempt taken in turns, so that a slow patch of a busy
 * machine hits both alike; compares their medians, which a few outliers
 * (garbage collection, another test process) do not move.
 */
export async function compareTimings(tries: number, known: (i: number) => Promise<unknown>, unknown: (i: number) => Promise<unknown>): Promise<TimingComparison> {
  const a: number[] = [];
  const b: number[] = [];
  // Warm-up: the first calls pay for lazy initialisation (the dummy hash, prepared statements).
  await known(-1);
  await unknown(-1);
  for (let i = 0; i < tries; i++) {
    const pair: [(i: number) => Promise<unknown>, number[]][] = [
      [known, a],
      [unknown, b],
    ];
    if (i % 2 === 1) pair.reverse();
    for (const [attempt, into] of pair) {
      const started = performance.now();
      await attempt(i);
      into.push(performance.now() - started);
    }
  }
  const k = median(a);
  const u = median(b);
  return { known: k, unknown: u, gap: Math.abs(k - u) };
}
