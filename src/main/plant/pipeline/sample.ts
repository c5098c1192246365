import { Rng } from '../../engine/rng';

/** A seeded sample of at most `n` indices of [0, size), in ascending order (all when size ≤ n). */
export function sampleIndices(size: number, n: number, seed: number): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (size <= n) return all;
  new Rng(seed).shuffle(all);
  return all.slice(0, n).sort((a, b) => a - b);
}
