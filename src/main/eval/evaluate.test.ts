import { describe, expect, it } from 'vitest';
import { evaluate, evaluateDetailed } from './evaluate';
import type { EvalInput, MetricSet } from './evaluate';

// 4 labels, one per bucket: trainFreq [0, 3, 20, 100] → zero, few, mid, head; N = 1000 training docs.
//   d0 scores [0.1, 0.9, 0.8, 0.7], gold {0, 3}
//   d1 scores [0.6, 0.2, 0.9, 0.3], gold {2}
//   d2 scores [0.5, 0.4, 0.3, 0.2], gold {}      (skipped by ranking metrics)
// Threshold 0.5 → predictions d0 {1, 2, 3}, d1 {0, 2}, d2 {0}.
const input: EvalInput = {
  scores: [Float32Array.from([0.1, 0.9, 0.8, 0.7]), Float32Array.from([0.6, 0.2, 0.9, 0.3]), Float32Array.from([0.5, 0.4, 0.3, 0.2])],
  gold: [[0, 3], [2], []],
  numLabels: 4,
  trainFreq: [0, 3, 20, 100],
  numTrainDocs: 1000,
  thresholds: { global: 0.5 },
};

// 1/p for N = 1000: C = (ln 1000 − 1)·2.5^0.55 = 9.766 → N_l 0: 8.824189, 3: 5.275852, 20: 2.809041, 100: 1.770430
const INV = [8.824188577703566, 5.275851552595139, 2.809040745709382, 1.7704299874036116];

const KEYS: (keyof MetricSet)[] = ['p@1', 'p@3', 'p@5', 'ndcg@1', 'ndcg@3', 'ndcg@5', 'psp@1', 'psp@3', 'psp@5', 'micro_f1', 'macro_f1', 'macro_auc'];

function expectClose(actual: MetricSet, expected: Record<keyof MetricSet, number | null>): void {
  for (const k of KEYS) {
    if (expected[k] === null) expect(actual[k], k).toBeNull();
    else expect(actual[k], k).toBeCloseTo(expected[k], 6);
  }
}

describe('evaluate (hand-computed)', () => {
  const r = evaluate(input);

  it('has exactly the documented keys', () => {
    expect(Object.keys(r).sort()).toEqual([...KEYS, 'buckets'].sort());
    expect(Object.keys(r.buckets)).toEqual(['zero', 'few', 'mid', 'head']);
    expect(Object.keys(r.buckets.mid).sort()).toEqual([...KEYS, 'labels'].sort());
  });

  it('overall', () => {
    // d0 ranking 1, 2, 3, 0 (gold 0, 3): P@1 0, P@3 1/3, P@5 2/5 (only 4 labels, still ÷ 5);
    //   nDCG@3 = (1/log2 4) / (1 + 1/log2 3) = 0.5 / 1.630930 = 0.306574;
    //   nDCG@5 = (0.5 + 1/log2 5) / 1.630930 = 0.570642
    // d1 ranking 2, 0, 3, 1 (gold 2): P@1 1, P@3 1/3, P@5 1/5; nDCG 1
    // PSP@1 = INV2 / (INV0 + INV2); PSP@3 = (INV3 + INV2) / (INV0 + INV3 + INV2); PSP@5 = 1
    // counts: l0 tp0 fp2 fn1; l1 fp1 (no support); l2 tp1 fp1; l3 tp1
    //   micro = 2·2 / (2·2 + 4 + 1) = 4/9; macro over {0, 2, 3} = (0 + 2/3 + 1) / 3 = 5/9
    // AUC: l0 positive d0 scores lowest → 0; l2, l3 → 1; l1 no positive → excluded → 2/3
    expectClose(r, {
      'p@1': 0.5,
      'p@3': 1 / 3,
      'p@5': 0.3,
      'ndcg@1': 0.5,
      'ndcg@3': (0.3065735964 + 1) / 2,
      'ndcg@5': (0.5706417190 + 1) / 2,
      'psp@1': INV[2]! / (INV[0]! + INV[2]!),
      'psp@3': (INV[3]! + INV[2]!) / (INV[0]! + INV[3]! + INV[2]!),
      'psp@5': 1,
      micro_f1: 4 / 9,
      macro_f1: 5 / 9,
      macro_auc: 2 / 3,
    });
  });

  it('buckets rank only their own labels and skip documents without gold in the bucket', () => {
    // zero = {0}: only d0 has gold 0; ranking restricted to label 0 → it is top-1 despite its 0.1
    expectClose(r.buckets.zero, {
      'p@1': 1, 'p@3': 1 / 3, 'p@5': 0.2, 'ndcg@1': 1, 'ndcg@3': 1, 'ndcg@5': 1, 'psp@1': 1, 'psp@3': 1, 'psp@5': 1,
      micro_f1: 0, macro_f1: 0, macro_auc: 0,
    });
    expect(r.buckets.zero.labels).toBe(1);
    // few = {1}: no gold anywhere → ranking and macro metrics null; micro-F1 = 0 / (0 + 1 fp) = 0
    expectClose(r.buckets.few, {
      'p@1': null, 'p@3': null, 'p@5': null, 'ndcg@1': null, 'ndcg@3': null, 'ndcg@5': null, 'psp@1': null, 'psp@3': null, 'psp@5': null,
      micro_f1: 0, macro_f1: null, macro_auc: null,
    });
    expect(r.buckets.few.labels).toBe(0);
    // mid = {2}: tp1 fp1 → 2/3; head = {3}: tp1 → 1
    expect(r.buckets.mid.micro_f1).toBeCloseTo(2 / 3, 12);
    expect(r.buckets.mid['p@1']).toBe(1);
    expect(r.buckets.head.micro_f1).toBe(1);
    expect(r.buckets.head.macro_auc).toBe(1);
    expect([r.buckets.mid.labels, r.buckets.head.labels]).toEqual([1, 1]);
  });

  it('never NaN, numbers in [0, 1]', () => {
    const all = [r, ...Object.values(r.buckets)];
    for (const m of all) for (const k of KEYS) {
      const v = m[k];
      if (v !== null) {
        expect(Number.isNaN(v)).toBe(false);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });

  it('per-label table and never-predicted list', () => {
    const { perLabel, neverPredicted } = evaluateDetailed(input);
    expect(perLabel[0]).toEqual({ label: 0, bucket: 'zero', trainFreq: 0, support: 1, tp: 0, fp: 2, fn: 1, precision: 0, recall: 0, f1: 0, auc: 0 });
    expect(perLabel[1]).toMatchObject({ support: 0, fp: 1, precision: 0, recall: null, f1: 0, auc: null });
    expect(perLabel[2]).toMatchObject({ bucket: 'mid', tp: 1, fp: 1, precision: 0.5, recall: 1 });
    expect(neverPredicted).toEqual([]);
    const high = evaluateDetailed({ ...input, thresholds: { global: 0.85 } });
    expect(high.neverPredicted).toEqual([0, 3]); // only 0.9s pass: d0 → 1, d1 → 2
    expect(high.perLabel[3]!.precision).toBeNull();
  });

  it('sparse top-k rows give the same report as the equivalent dense rows', () => {
    const sparse = evaluate({
      ...input,
      scores: input.scores.map((row) => {
        const r = row as Float32Array;
        return { labels: [0, 1, 2, 3], scores: Array.from(r) };
      }),
    });
    expect(sparse).toEqual(r);
  });

  it('rejects inconsistent inputs', () => {
    expect(() => evaluate({ ...input, trainFreq: [0, 1] })).toThrow(/trainFreq/);
    expect(() => evaluate({ ...input, gold: [[0]] })).toThrow(/label sets/);
    expect(() => evaluate({ ...input, thresholds: { global: 0, perLabel: new Float64Array(2) } })).toThrow(/per-label/);
  });
});
