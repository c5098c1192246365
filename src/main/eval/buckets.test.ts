import { describe, expect, it } from 'vitest';
import { bucketMasks, bucketOf } from './buckets';

describe('buckets', () => {
  it('zero 0, few 1–5, mid 6–50, head > 50 (boundaries)', () => {
    expect([0, 1, 5, 6, 50, 51, 3645].map(bucketOf)).toEqual(['zero', 'few', 'few', 'mid', 'mid', 'head', 'head']);
  });
  it('masks partition the labels', () => {
    const m = bucketMasks([0, 3, 51, 6]);
    expect(Array.from(m.zero)).toEqual([1, 0, 0, 0]);
    expect(Array.from(m.few)).toEqual([0, 1, 0, 0]);
    expect(Array.from(m.mid)).toEqual([0, 0, 0, 1]);
    expect(Array.from(m.head)).toEqual([0, 0, 1, 0]);
  });
});
