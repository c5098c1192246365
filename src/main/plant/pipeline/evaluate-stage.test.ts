import { describe, expect, it } from 'vitest';
import { bucketThresholds } from './evaluate-stage';

describe('bucketThresholds', () => {
  // Label 0: frequent (100 training docs), label 1: few-shot (2), label 2: zero-shot (0).
  const trainFreq = [100, 2, 0];
  const scores = [
    Float32Array.of(0.9, 0.2, 0.0),
    Float32Array.of(0.8, 0.1, 0.0),
    Float32Array.of(0.3, 0.05, 0.0),
    Float32Array.of(0.25, 0.01, 0.0),
  ];
  const gold = [[0, 1], [0], [], []];

  it('tunes each bucket on its own labels and leaves buckets without tuning positives at the global threshold', () => {
    const t = bucketThresholds(scores, gold, trainFreq);
    // Global, by hand: all six candidate cuts, best micro-F1 is after 0.8 (tp 2, fp 0, fn 1: F1 0.8)
    // against 0.75 after 0.2 (tp 3, fp 2); the midpoint to the next score 0.3 is 0.55.
    expect(t.global).toBeCloseTo(0.55, 6);
    expect(t.perLabel![0]).toBeCloseTo(0.55, 6);
    // Few-shot bucket alone: 0.2 is its only positive and tops its scores → midpoint to 0.1.
    expect(t.perLabel![1]).toBeCloseTo(0.15, 6);
    // Zero-shot bucket has no tuning positives.
    expect(t.perLabel![2]).toBe(t.global);
  });

  it('lets a rare label through that the global threshold would drop', () => {
    const t = bucketThresholds(scores, gold, trainFreq);
    expect(0.2 >= t.global).toBe(false);
    expect(0.2 >= t.perLabel![1]!).toBe(true);
  });
});
