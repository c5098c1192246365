/**
 * Seeded pseudo-random numbers (SplitMix32-style mixing over a 32-bit state): the same seed gives
 * the same stream on every platform, which the determinism guarantees of training rely on.
 */
export class Rng {
  #s: number;
  #spare: number | null = null;

  constructor(seed: number) {
    this.#s = (seed ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Normal(0, std) truncated to ±2 std (PLANT's trunc-normal init for U). */
  truncNormal(std: number): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return z * std;
    }
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(a: T[] | Int32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      // i < a.length and j ≤ i: both in range
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }

  /** A derived generator, so sub-streams (init, sampling, masking) stay independent. */
  fork(salt: number): Rng {
    return new Rng((Math.floor(this.next() * 4294967296) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0);
  }
}

export function randn(shape: readonly number[], seed: number, std = 1): Float64Array {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float64Array.from({ length: n }, () => rng.normal() * std);
}
