/**
 * Counts the reliability suites report, and how big each run is. `npm run test:reliability` sets
 * PLANTER_RELIABILITY=full and PLANTER_RELIABILITY_OUT=<file>; each suite appends one JSON line of
 * counts there and scripts/reliability.mjs sums them into the `reliability-summary` line. Inside
 * the normal `npm test` (no variables) the suites run their small fixed-seed CI variant.
 */
import { appendFileSync } from 'node:fs';

export interface Tally {
  kills: number;
  /** Acknowledged annotation writes (or finished imports, models, exports) missing after a kill. */
  lost_acknowledged: number;
  integrity_failures: number;
  fuzz_cases: number;
  /** Anything other than a clean, named rejection: a non-PlanterError, an `internal` reply, a hang. */
  crashes: number;
  /** Store or file changes left behind by a rejected or interrupted write. */
  partial_writes: number;
  unauthorized_accepted: number;
}

export const TALLY_KEYS: readonly (keyof Tally)[] = ['kills', 'lost_acknowledged', 'integrity_failures', 'fuzz_cases', 'crashes', 'partial_writes', 'unauthorized_accepted'];

export function emptyTally(): Tally {
  return { kills: 0, lost_acknowledged: 0, integrity_failures: 0, fuzz_cases: 0, crashes: 0, partial_writes: 0, unauthorized_accepted: 0 };
}

export const FULL = process.env.PLANTER_RELIABILITY === 'full';

/** The CI count, or the full run's. */
export function size(ci: number, full: number): number {
  return FULL ? full : ci;
}

/** Fixed in CI (reproducible); in the full run PLANTER_RELIABILITY_SEED or a fresh one, printed. */
export function seed(ciSeed: number): number {
  if (process.env.PLANTER_RELIABILITY_SEED) return Number(process.env.PLANTER_RELIABILITY_SEED);
  return FULL ? Math.floor(Math.random() * 2 ** 31) : ciSeed;
}

/** Records one suite's counts (plus free-form notes) for the summary line. */
export function report(suite: string, tally: Partial<Tally>, notes: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ suite, ...tally, ...(Object.keys(notes).length ? { notes } : {}) });
  // Printed too, so a plain `npx vitest run` shows what each suite did.
  console.log(`reliability-suite ${line}`);
  const out = process.env.PLANTER_RELIABILITY_OUT;
  if (out) appendFileSync(out, `${line}\n`);
}

/** A tiny seeded PRNG (mulberry32) for the kill loop's choices; fast-check has its own. */
export function prng(seedValue: number): { next(): number; int(n: number): number; pick<T>(xs: readonly T[]): T } {
  let a = seedValue >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)]! };
}
