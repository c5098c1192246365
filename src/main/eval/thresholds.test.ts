import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelCounts, microF1 } from './classification';
import { normalizeGold, ScoreMatrix } from './scores';
import { passes, predict, thresholdOf, tuneThresholds } from './thresholds';

// Tuning split, 2 labels:
//   label 0 scores high everywhere: positive d0 0.9, negatives d1 0.8, d2 0.8
//   label 1 scores low:             positives d1 0.5, d2 0.5, negative d0 0.1
const tuning = new ScoreMatrix(
  [Float32Array.from([0.9, 0.1]), Float32Array.from([0.8, 0.5]), Float32Array.from([0.8, 0.5])],
  2,
);
const tuningGold = [[0], [1], [1]];

describe('tuneThresholds (hand-computed)', () => {
  it('global: the micro-F1-optimal cut, halfway to the next lower score', () => {
    // P = 3; pairs by score: 0.9+ | 0.8−, 0.8− | 0.5+, 0.5+ | 0.1−
    // F1 after each group: 2/4 = .5, 2/6 = .33, 6/8 = .75 (best), 6/9 = .67 → τ = (0.5 + 0.1) / 2
    const t = tuneThresholds(tuning, tuningGold);
    expect(t.global).toBeCloseTo(0.3, 6);
    expect(t.perLabel).toBeUndefined();
    expect(thresholdOf(t, 1)).toBe(t.global);
  });

  it('per label: coordinate ascent raises label 0 to (0.9 + 0.8) / 2, micro-F1 .75 → 1', () => {
    const t = tuneThresholds(tuning, tuningGold, { perLabel: true, minSupport: 1 });
    expect(Array.from(t.tunedLabels!)).toEqual([0]);
    expect(t.perLabel![0]).toBeCloseTo(0.85, 6);
    expect(t.perLabel![1]).toBe(t.global); // label 1 cannot improve: falls back to global
    const counts = labelCounts(predict(tuning, t), normalizeGold(tuningGold, 3, 2), 2);
    expect(microF1(counts)).toBe(1);
  });

  it('per label: labels below minSupport keep the global threshold', () => {
    const t = tuneThresholds(tuning, tuningGold, { perLabel: true, minSupport: 2 });
    expect(Array.from(t.tunedLabels!)).toEqual([]);
    expect(Array.from(t.perLabel!)).toEqual([t.global, t.global]);
  });

  it('the best cut at the lowest score uses that score itself; thresholds are finite', () => {
    // Everything positive → predict all: τ = the lowest score (no lower one to average with).
    const m = new ScoreMatrix([Float32Array.from([0.2, Number.POSITIVE_INFINITY])], 2);
    const t = tuneThresholds(m, [[0, 1]]);
    expect(t.global).toBe(Math.fround(0.2));
    const onlyInf = tuneThresholds(new ScoreMatrix([Float32Array.from([Number.POSITIVE_INFINITY, 1])], 2), [[0]]);
    expect(onlyInf.global).toBe(Number.MAX_VALUE);
  });

  it('no finite score at all: a threshold that predicts nothing', () => {
    const m = new ScoreMatrix([{ labels: [], scores: [] }], 2);
    expect(tuneThresholds(m, [[0]]).global).toBe(Number.MAX_VALUE);
  });

  it('per-label tuning with eligible labels far apart (blocks by label id)', () => {
    // 200 labels; only labels 3 and 150 have support; label 150 needs its own threshold.
    const rows = [0, 1, 2].map(() => new Float32Array(200).fill(0));
    rows[0]![3] = 0.9; // label 3: positive d0 0.9, negatives 0
    rows[1]![150] = 0.95; // label 150: negative d1 0.95, positives d0, d2 at 0.96
    rows[0]![150] = 0.96;
    rows[2]![150] = 0.96;
    const t = tuneThresholds(new ScoreMatrix(rows, 200), [[3, 150], [], [150]], { perLabel: true, minSupport: 1 });
    // global: 0.96 (2+), 0.95 (1−), 0.9 (1+) → best after 0.9: F1 = 6/7; label 150 alone at 0.955 → 1
    expect(t.global).toBeCloseTo(0.45, 6);
    expect(Array.from(t.tunedLabels!)).toEqual([150]);
    expect(t.perLabel![150]).toBeCloseTo(0.955, 6);
  });

  it('refuses a tuning split without gold labels', () => {
    expect(() => tuneThresholds(tuning, [[], [], []])).toThrow(/no gold/);
  });

  it('property: matches brute force over every candidate cut (exercising the pruned and widened paths)', () => {
    const arb = fc.record({
      docs: fc.integer({ min: 1, max: 120 }),
      labels: fc.integer({ min: 1, max: 60 }),
      seed: fc.integer(),
      informative: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ docs, labels, seed, informative }) => {
        let s = seed >>> 0 || 1;
        const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
        const gold: number[][] = [];
        const rows: Float32Array[] = [];
        for (let d = 0; d < docs; d++) {
          const g: number[] = [];
          const row = new Float32Array(labels);
          for (let l = 0; l < labels; l++) {
            const pos = rand() < 0.03;
            if (pos) g.push(l);
            // few distinct values → many ties
            row[l] = Math.round((rand() + (informative && pos ? 0.7 : 0)) * 20) / 20;
          }
          gold.push(g);
          rows.push(row);
        }
        if (gold.every((g) => g.length === 0)) gold[0]!.push(0);
        const m = new ScoreMatrix(rows, labels);
        const g = normalizeGold(gold, docs, labels);
        const f1At = (t: number) => microF1(labelCounts(predict(m, { global: t }), g, labels)) ?? 0;
        const candidates = [...new Set(rows.flatMap((r) => Array.from(r)))];
        const best = Math.max(...candidates.map(f1At));
        expect(f1At(tuneThresholds(m, gold).global)).toBeCloseTo(best, 12);
      }),
      { numRuns: 60 },
    );
  });
});

describe('predict', () => {
  it('applies thresholds to another split (score ≥ τ; −∞ and NaN never pass)', () => {
    const other = new ScoreMatrix(
      [Float32Array.from([0.3, Number.NaN]), { labels: [1], scores: [0.86] }],
      2,
    );
    expect(predict(other, { global: 0.3 }).map((p) => Array.from(p))).toEqual([[0], [1]]);
    const perLabel = { global: 0.3, perLabel: Float64Array.from([0.85, 0.9]) };
    expect(predict(other, perLabel).map((p) => Array.from(p))).toEqual([[], []]);
    expect(passes(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(false);
  });
});
