import { describe, expect, it } from 'vitest';
import { f1Of, labelCounts, macroF1, microF1 } from './classification';

describe('labelCounts / micro-F1 / macro-F1 (hand-computed)', () => {
  // 3 labels; predicted vs gold per document:
  //   d0 pred {0, 1}  gold {0}     → l0 tp, l1 fp
  //   d1 pred {}      gold {1}     → l1 fn
  //   d2 pred {2}     gold {}      → l2 fp (label 2 has no support)
  const c = labelCounts(
    [Int32Array.from([0, 1]), new Int32Array(0), Int32Array.from([2])],
    [Int32Array.from([0]), Int32Array.from([1]), new Int32Array(0)],
    3,
  );
  it('counts', () => {
    expect(Array.from(c.support)).toEqual([1, 1, 0]);
    expect(Array.from(c.tp)).toEqual([1, 0, 0]);
    expect(Array.from(c.fp)).toEqual([0, 1, 1]);
    expect(Array.from(c.fn)).toEqual([0, 1, 0]);
  });
  it('micro-F1 = 2·1 / (2·1 + 2 + 1) = 0.4', () => {
    expect(microF1(c)).toBeCloseTo(0.4, 12);
  });
  it('macro-F1 over supported labels only: (1 + 0) / 2; unsupported label 2 left out', () => {
    expect(macroF1(c)).toBeCloseTo(0.5, 12);
    expect(macroF1(c, (l) => l === 2)).toBeNull();
    expect(microF1(c, (l) => l === 2)).toBe(0); // fp only: 0 / 1
  });
  it('F1 is null only when there is nothing to judge', () => {
    expect(f1Of(0, 0, 0)).toBeNull();
    expect(f1Of(0, 0, 3)).toBe(0);
    expect(microF1(labelCounts([new Int32Array(0)], [new Int32Array(0)], 2))).toBeNull();
  });
});
