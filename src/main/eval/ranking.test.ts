import { describe, expect, it } from 'vitest';
import { inversePropensities, rankingMetrics } from './ranking';
import { ScoreMatrix } from './scores';

describe('inversePropensities (Jain et al. 2016, A = 0.55, B = 1.5)', () => {
  it('hand-computed for N = 100', () => {
    // C = (ln 100 − 1)·2.5^0.55 = 3.605170 × 1.655300 = 5.967505
    // N_l = 0:  1/p = 1 + C·1.5^−0.55  = 1 + 5.967505 × 0.800119 = 5.774661
    // N_l = 10: 1/p = 1 + C·11.5^−0.55 = 1 + 5.967505 × 0.260986 = 2.557432
    const inv = inversePropensities([0, 10], 100);
    expect(inv[0]).toBeCloseTo(5.774661, 5);
    expect(inv[1]).toBeCloseTo(2.557432, 5);
  });
  it('rarer labels get larger weights; N < 3 is clamped to 1 (no boost)', () => {
    const inv = inversePropensities([0, 1, 10, 1000], 10_000);
    for (let i = 1; i < 4; i++) expect(inv[i]!).toBeLessThan(inv[i - 1]!);
    expect(Array.from(inversePropensities([0, 1], 2))).toEqual([1, 1]);
  });
});

describe('rankingMetrics (hand-computed)', () => {
  // 6 labels, 3 documents:
  //   d0 ranks labels 0,1,2,3,4,5; gold {1, 4}
  //   d1 ranks labels 5,4,3,2,1,0; gold {5}
  //   d2 has no gold → skipped
  const scores = new ScoreMatrix(
    [
      Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]),
      Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
      Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]),
    ],
    6,
  );
  const gold = [Int32Array.from([1, 4]), Int32Array.from([5]), new Int32Array(0)];
  const invP = Float64Array.from([1, 2, 1, 1, 4, 3]);
  const m = rankingMetrics(scores, gold, invP);

  it('P@k divides by k and averages over documents with gold', () => {
    // d0: P@1 0, P@3 1/3, P@5 2/5; d1: P@1 1, P@3 1/3, P@5 1/5
    expect(m.docs).toBe(2);
    expect(m.precision[1]).toBeCloseTo(0.5, 12);
    expect(m.precision[3]).toBeCloseTo(1 / 3, 12);
    expect(m.precision[5]).toBeCloseTo(0.3, 12);
  });

  it('nDCG@k with IDCG over min(k, |gold|)', () => {
    // d0: @3 DCG = 1/log2 3 = 0.630930, IDCG = 1 + 0.630930 → 0.386853
    //     @5 DCG = 0.630930 + 1/log2 6 (0.386853) = 1.017783 → 0.624051; d1: 1 at every k
    expect(m.ndcg[1]).toBeCloseTo(0.5, 12);
    expect(m.ndcg[3]).toBeCloseTo((0.3868528072 + 1) / 2, 9);
    expect(m.ndcg[5]).toBeCloseTo((0.62405052 + 1) / 2, 8);
  });

  it('PSP@k = Σ hits/p ÷ Σ best achievable', () => {
    // d0 gold weights {1: 2, 4: 4}, d1 {5: 3}
    // @1: (0 + 3) / (4 + 3) = 3/7;  @3: (2 + 3) / (4 + 2 + 3) = 5/9;  @5: (6 + 3) / (6 + 3) = 1
    expect(m.psp[1]).toBeCloseTo(3 / 7, 12);
    expect(m.psp[3]).toBeCloseTo(5 / 9, 12);
    expect(m.psp[5]).toBeCloseTo(1, 12);
  });

  it('restricting to a label subset ranks only those labels', () => {
    // allowed {3, 4, 5}: d0 ranks 3, 4, 5 with gold {4} → P@1 0, nDCG@3 = 1/log2 3; d1 ranks 5, 4, 3 with gold {5} → 1
    const r = rankingMetrics(scores, gold, invP, Uint8Array.from([0, 0, 0, 1, 1, 1]));
    expect(r.docs).toBe(2);
    expect(r.precision[1]).toBeCloseTo(0.5, 12);
    expect(r.ndcg[3]).toBeCloseTo((0.6309297536 + 1) / 2, 9);
    // only documents with gold in the subset count
    const none = rankingMetrics(scores, gold, invP, Uint8Array.from([1, 0, 0, 0, 0, 0]));
    expect(none.docs).toBe(0);
    expect(none.precision[1]).toBeNull();
    expect(none.psp[5]).toBeNull();
  });

  it('ties in scores are broken by label index', () => {
    const tied = new ScoreMatrix([Float32Array.from([0.5, 0.5, 0.5])], 3);
    // top-1 is label 0 → gold {1} is a miss at 1, a hit at 3
    const r = rankingMetrics(tied, [Int32Array.from([1])], Float64Array.from([1, 1, 1]));
    expect(r.precision[1]).toBe(0);
    expect(r.precision[3]).toBeCloseTo(1 / 3, 12);
  });
});
