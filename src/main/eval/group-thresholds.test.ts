import { describe, expect, it } from 'vitest';
import { bucketThresholds, tuneGroupThresholds } from './group-thresholds';
import { ScoreMatrix } from './scores';
import { predict } from './thresholds';

// Label 0: frequent (100 training docs, bucket head), label 1: few-shot (2), label 2: zero-shot (0).
const trainFreq = [100, 2, 0];
const gold = [[0, 1], [0], [], []];

describe('bucketThresholds (coordinate ascent on micro-F1, one threshold per bucket)', () => {
  it('opens a rare bucket whose positive the global threshold drops, when micro-F1 gains', () => {
    const scores = [Float32Array.of(0.9, 0.2, 0), Float32Array.of(0.8, 0.1, 0), Float32Array.of(0.3, 0.05, 0), Float32Array.of(0.25, 0.01, 0)];
    const t = bucketThresholds(scores, gold, trainFreq);
    // Global, by hand: cut after 0.8 gives tp 2, fp 0 of 3 positives (F1 0.8) against 0.75 after
    // 0.2 (tp 3, fp 2); halfway to the next score 0.3 → 0.55.
    expect(t.global).toBeCloseTo(0.55, 6);
    expect(t.perLabel![0]).toBeCloseTo(0.55, 6);
    // Few bucket: a cut at 0.2 adds tp 1, fp 0 → micro-F1 1.0; halfway to its next score 0.1.
    expect(t.perLabel![1]).toBeCloseTo(0.15, 6);
    // Zero bucket: no positives, nothing passes the global threshold either: unchanged.
    expect(t.perLabel![2]).toBe(t.global);
  });

  it('keeps the global threshold where a bucket of its own would cost micro-F1', () => {
    // The rare label's positive (0.2) is outscored by three of its negatives: its own F1 would
    // take the cut (1 tp, 3 fp: F1 0.4 > 0), micro-F1 falls from 0.8 to 6/9.
    const scores = [Float32Array.of(0.9, 0.2, 0), Float32Array.of(0.8, 0.3, 0), Float32Array.of(0.3, 0.25, 0), Float32Array.of(0.25, 0.22, 0)];
    const t = bucketThresholds(scores, gold, trainFreq);
    expect(t.global).toBeCloseTo(0.55, 6);
    expect(Array.from(t.perLabel!)).toEqual([t.global, t.global, t.global]);
  });

  it('closes a bucket whose labels only add false positives, and never lowers tuning micro-F1', () => {
    // Zero-shot label 2 scores 0.85 on a negative: over the global cut (0.55).
    const scores = [Float32Array.of(0.9, 0.2, 0), Float32Array.of(0.8, 0.1, 0), Float32Array.of(0.3, 0.05, 0.85), Float32Array.of(0.25, 0.01, 0)];
    const t = bucketThresholds(scores, gold, trainFreq);
    expect(t.global).toBeCloseTo(0.55, 6);
    expect(t.perLabel![2]).toBeGreaterThan(0.85);
    expect(t.perLabel![1]).toBeCloseTo(0.15, 6);
    const m = new ScoreMatrix(scores, 3);
    expect(predict(m, t).map((x) => Array.from(x))).toEqual([[0, 1], [0], [], []]);
    expect(predict(m, { global: t.global }).map((x) => Array.from(x))).toEqual([[0], [0], [2], []]);
  });

  it('rejects group ids of the wrong length', () => {
    expect(() => tuneGroupThresholds(new ScoreMatrix([Float32Array.of(1, 0)], 2), [[0]], [0], 1)).toThrow(/1 group ids for 2 labels/);
  });
});
