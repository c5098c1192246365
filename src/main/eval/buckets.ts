/**
 * Training-frequency buckets of labels (PLANT.md §3): zero (0 training documents), few (1–5),
 * mid (6–50), head (> 50).
 */
export const BUCKETS = ['zero', 'few', 'mid', 'head'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The bucket of a label with `trainFreq` training documents. */
export function bucketOf(trainFreq: number): Bucket {
  if (trainFreq <= 0) return 'zero';
  if (trainFreq <= 5) return 'few';
  if (trainFreq <= 50) return 'mid';
  return 'head';
}

/** One [L] 0/1 mask per bucket. */
export function bucketMasks(trainFreq: ArrayLike<number>): Record<Bucket, Uint8Array> {
  const masks = Object.fromEntries(BUCKETS.map((b) => [b, new Uint8Array(trainFreq.length)])) as Record<Bucket, Uint8Array>;
  for (let l = 0; l < trainFreq.length; l++) masks[bucketOf(trainFreq[l]!)][l] = 1;
  return masks;
}
