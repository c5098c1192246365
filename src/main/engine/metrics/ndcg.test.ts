import { describe, expect, it } from 'vitest';
import { idealDcg, meanNdcgAtK, ndcgAtK } from './ndcg';

describe('NDCG (hand-computed)', () => {
  it('ideal DCG sorts the grades first', () => {
    expect(idealDcg([1, 3, 2])).toBeCloseTo(3 / 1 + 2 / Math.log2(3) + 1 / 2, 12);
    expect(idealDcg([1, 3, 2], 1)).toBe(3);
  });
  it('a perfect ranking scores 1, a reversed one less', () => {
    expect(ndcgAtK([0.9, 0.5, 0.1], [3, 2, 1], 3)).toBeCloseTo(1, 12);
    const rev = (1 / 1 + 2 / Math.log2(3) + 3 / 2) / idealDcg([3, 2, 1]);
    expect(ndcgAtK([0.1, 0.5, 0.9], [3, 2, 1], 3)).toBeCloseTo(rev, 12);
  });
  it('NDCG@1 only looks at the top item', () => {
    expect(ndcgAtK([0.2, 0.9], [5, 1], 1)).toBeCloseTo(1 / 5, 12);
  });
  it('mean over lists skips pads and all-zero lists', () => {
    // B=1, Ls=2, T=3, last token is a pad that would otherwise rank first
    const scores = Float32Array.from([0.1, 0.9, 5, 0.3, 0.2, 5]);
    const grades = Float32Array.from([1, 2, 100, 0, 0, 0]);
    const mask = Float32Array.from([1, 1, 0]);
    expect(meanNdcgAtK(scores, grades, mask, [1, 2, 3], 2)).toBeCloseTo(1, 12);
  });
});
