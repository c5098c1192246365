import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { macroAuc, perLabelAuc, rocAuc } from './auc';
import { ScoreMatrix } from './scores';

describe('rocAuc (hand-computed)', () => {
  it('ties count ½: scores [0.9, 0.8, 0.8, 0.1], positives at 0.9 and the first 0.8', () => {
    // ascending ranks: 0.1 → 1, the two 0.8 → 2.5 each, 0.9 → 4; R₊ = 2.5 + 4 = 6.5
    // AUC = (6.5 − 2·3/2) / (2·2) = 0.875 (pairs: 1 + 1 + ½ + 1 of 4)
    expect(rocAuc([0.9, 0.8, 0.8, 0.1], [1, 1, 0, 0])).toBeCloseTo(0.875, 12);
  });
  it('perfect 1, reversed 0, all tied ½, one class only null', () => {
    expect(rocAuc([3, 2, 1], [1, 0, 0])).toBe(1);
    expect(rocAuc([1, 2, 3], [1, 0, 0])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [1, 0, 1, 0])).toBe(0.5);
    expect(rocAuc([1, 2], [1, 1])).toBeNull();
    expect(rocAuc([1, 2], [0, 0])).toBeNull();
  });
  it('NaN ranks with −∞', () => {
    expect(rocAuc([Number.NaN, Number.NEGATIVE_INFINITY, 1], [1, 0, 0])).toBeCloseTo(0.25, 12);
  });
  it('property: equals the pairwise definition', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.boolean()), { minLength: 1, maxLength: 25 }), (pts) => {
        const s = pts.map((p) => p[0]);
        const y = pts.map((p) => (p[1] ? 1 : 0));
        const pos = s.filter((_, i) => y[i]);
        const neg = s.filter((_, i) => !y[i]);
        const auc = rocAuc(s, y);
        if (pos.length === 0 || neg.length === 0) {
          expect(auc).toBeNull();
          return;
        }
        let wins = 0;
        for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
        expect(auc).toBeCloseTo(wins / (pos.length * neg.length), 12);
      }),
    );
  });
});

describe('perLabelAuc / macroAuc', () => {
  it('per label from a score matrix, null where ineligible; macro over eligible', () => {
    const m = new ScoreMatrix([Float32Array.from([0.9, 0.1, 0.5]), Float32Array.from([0.2, 0.8, 0.5]), { labels: [0], scores: [0.5] }], 3);
    // label 0 positive d0 (0.9) vs 0.2, 0.5 → 1; label 1 positive d0 (0.1) vs 0.8, −∞ → ½; label 2 no positive → null
    const auc = perLabelAuc(m, [Int32Array.from([0]), Int32Array.from([0]), new Int32Array(0)], 2);
    expect(auc).toEqual([1, 0.5, null]);
    expect(macroAuc(auc)).toBeCloseTo(0.75, 12);
    expect(macroAuc(auc, (l) => l === 2)).toBeNull();
  });
});
