import { describe, expect, it } from 'vitest';
import { BinnedAuc, rocAuc } from './auc';
import { evaluateDetailed, type EvalInput } from './evaluate';
import type { DocScores } from './scores';
import { topK, topKOf } from './scores';
import { EvaluationStream } from './streaming';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** A split where gold labels score higher on average, so the metrics are neither 0 nor 1. */
function split(seed: number, docs: number, labels: number, sparse: boolean): { rows: DocScores[]; gold: number[][]; trainFreq: Int32Array } {
  const r = rng(seed);
  const trainFreq = Int32Array.from({ length: labels }, (_, l) => [0, 2, 20, 200][l % 4]!);
  const gold: number[][] = [];
  const rows: DocScores[] = [];
  for (let d = 0; d < docs; d++) {
    const g = [...new Set(Array.from({ length: 1 + Math.floor(r() * 4) }, () => Math.floor(r() * labels)))];
    if (d % 11 === 0) g.length = 0; // some documents without gold
    gold.push(g);
    const dense = new Float32Array(labels);
    for (let l = 0; l < labels; l++) dense[l] = Math.min(1, r() * 0.6 + (g.includes(l) ? 0.35 : 0));
    dense[d % labels] = dense[(d + 1) % labels]!; // ties
    if (!sparse) rows.push(dense);
    else {
      const keep = Array.from(topK(dense, 12));
      rows.push({ labels: keep.reverse(), scores: keep.map((l) => dense[l]!) });
    }
  }
  return { rows, gold, trainFreq };
}

function batchedStream(input: EvalInput, batch: number, budget?: number): ReturnType<EvaluationStream['finish']> {
  const s = new EvaluationStream({ ...input, ...(budget !== undefined ? { exactAucBudget: budget } : {}) });
  for (let i = 0; i < input.scores.length; i += batch) s.add(input.scores.slice(i, i + batch), input.gold.slice(i, i + batch));
  return s.finish();
}

describe('EvaluationStream', () => {
  for (const sparse of [false, true]) {
    it(`equals evaluateDetailed exactly within the AUC budget (${sparse ? 'sparse' : 'dense'} rows, any batch size)`, () => {
      const { rows, gold, trainFreq } = split(7, 120, 40, sparse);
      const input: EvalInput = { scores: rows, gold, numLabels: 40, trainFreq, numTrainDocs: 500, thresholds: { global: 0.5 } };
      const whole = evaluateDetailed(input);
      for (const batch of [1, 7, 120]) {
        const streamed = batchedStream(input, batch);
        expect(streamed.aucExact).toBe(true);
        expect(streamed.documents).toBe(120);
        expect(streamed.report).toEqual(whole.report);
        expect(streamed.perLabel).toEqual(whole.perLabel);
        expect(streamed.neverPredicted).toEqual(whole.neverPredicted);
      }
    });
  }

  it('past the budget keeps exact ranking and F1, and a binned AUC close to the exact one', () => {
    const { rows, gold, trainFreq } = split(3, 400, 30, false);
    const perLabel = Float64Array.from({ length: 30 }, (_, l) => 0.4 + (l % 3) * 0.1);
    const input: EvalInput = { scores: rows, gold, numLabels: 30, trainFreq, numTrainDocs: 500, thresholds: { global: 0.5, perLabel } };
    const whole = evaluateDetailed(input);
    const streamed = batchedStream(input, 64, 30 * 100);
    expect(streamed.aucExact).toBe(false);
    const { macro_auc: a, ...rest } = streamed.report;
    const { macro_auc: b, ...wholeRest } = whole.report;
    expect({ ...rest, buckets: undefined }).toEqual({ ...wholeRest, buckets: undefined });
    expect(Math.abs(a! - b!)).toBeLessThan(0.01);
    streamed.perLabel.forEach((row, l) => {
      const exact = whole.perLabel[l]!;
      expect({ ...row, auc: null }).toEqual({ ...exact, auc: null });
      if (exact.auc === null) expect(row.auc).toBeNull();
      else expect(Math.abs(row.auc! - exact.auc)).toBeLessThan(0.03);
    });
  });

  it('rejects a row with a label outside the label space, naming the document', () => {
    const s = new EvaluationStream({ numLabels: 3, trainFreq: [1, 1, 1], numTrainDocs: 10, thresholds: { global: 0.5 } });
    expect(() => s.add([{ labels: [0], scores: [0.9] }, { labels: [5], scores: [0.2] }], [[0], [1]])).toThrow(/document 1 lists label 5/);
  });
});

describe('topKOf', () => {
  it('ranks a sparse row as topK ranks the same row densely, ties by the lower label', () => {
    const dense = Float32Array.from([0.2, 0.9, -Infinity, 0.9, 0.5, 0.1]);
    const sparse = { labels: [5, 3, 1, 4, 0], scores: [0.1, 0.9, 0.9, 0.5, 0.2] };
    expect(Array.from(topKOf(sparse, 3))).toEqual([1, 3, 4]);
    expect(Array.from(topKOf(sparse, 3))).toEqual(Array.from(topK(dense, 3)));
    expect(Array.from(topKOf(sparse, 10, Uint8Array.from([1, 0, 1, 1, 1, 1])))).toEqual([3, 4, 0, 5]);
  });
});

describe('BinnedAuc', () => {
  it('gives the exact AUC when positives and negatives never share a bin (hand-computed)', () => {
    // Label 0: positives 0.9, 0.6; negatives 0.3, 0.7 and one document that does not list it.
    // Pairs won: (0.9 > all 3 negatives) + (0.6 > 0.3, > unlisted) = 5 of 6.
    const a = new BinnedAuc(1, 64);
    a.add([0], [0.9], [0], () => true);
    a.add([0], [0.6], [0], () => true);
    a.add([0], [0.3], [], () => false);
    a.add([0], [0.7], [], () => false);
    a.add([], [], [], () => false);
    expect(a.result()[0]).toBeCloseTo(5 / 6, 12);
    expect(rocAuc([0.9, 0.6, 0.3, 0.7, -Infinity], [1, 1, 0, 0, 0])).toBeCloseTo(5 / 6, 12);
  });

  it('counts a positive and a negative in the same bin as a tie, and is null without negatives', () => {
    const a = new BinnedAuc(2, 8);
    a.add([0, 1], [0.5, 0.5], [0, 1], (l) => l <= 1);
    a.add([0], [0.5000001], [1], (l) => l === 1); // label 1 is gold everywhere: no negative
    expect(a.result()).toEqual([0.5, null]);
  });
});
