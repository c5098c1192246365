import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMig, isPositivelyAssociated, normalizedMutualInformation } from './mig';
import { buildTokenPresence } from './presence';

// Tiny corpus. Tokens a=4, b=5, c=6 (V = 7, ids 0–3 are specials); labels X=0, Y=1, Z=2 (unused).
//   d0: a b a   → {X}
//   d1: a c     → {X}
//   d2: b c unk → {Y}
//   d3: c       → {}
const A = 4;
const B = 5;
const C = 6;
const DOCS = [[A, B, A], [A, C], [B, C, 1], [C]];
const LABELS = [[0], [0], [1], []];

function mig(docs: number[][], labels: number[][], vocabSize = 7, numLabels = 3) {
  return computeMig({ presence: buildTokenPresence(docs, vocabSize), docLabels: labels, vocabSize, numLabels });
}

describe('normalizedMutualInformation (hand-computed)', () => {
  it('perfect association: I = ln 2 = H_T = H_L, so J = 1', () => {
    // a/X: N11 = 2, N10 = 0, N01 = 0, N00 = 2 of N = 4.
    expect(normalizedMutualInformation(2, 2, 2, 4)).toBeCloseTo(1, 12);
  });
  it('independence gives J = 0 and is not positive', () => {
    // b/X: all four cells 1/4 = p_a·p_b.
    expect(normalizedMutualInformation(1, 2, 2, 4)).toBeCloseTo(0, 12);
    expect(isPositivelyAssociated(1, 2, 2, 4)).toBe(false);
  });
  it('b/Y: I = ¼ln2 + ¼ln(2/3) + ½ln(4/3) = 0.2157616, H_T = ln2, H_L = 0.5623351 → J = 0.2075187', () => {
    expect(normalizedMutualInformation(1, 2, 1, 4)).toBeCloseTo(0.2075187496, 9);
    expect(isPositivelyAssociated(1, 2, 1, 4)).toBe(true); // 1·4 > 2·1
  });
  it('c/Y: I = ½ln(32/27) = 0.0849495, H_T = H_L = 0.5623351 → J = 0.0817042', () => {
    expect(normalizedMutualInformation(1, 3, 1, 4)).toBeCloseTo(0.0817041659, 9);
  });
  it('conspicuous absence scores J > 0 but is negative association (dropped)', () => {
    // c/X: c is in 3 of 4 docs but only 1 of X's 2: N11·N = 4 < n_t·n_l = 6.
    expect(normalizedMutualInformation(1, 3, 2, 4)).toBeGreaterThan(0);
    expect(isPositivelyAssociated(1, 3, 2, 4)).toBe(false);
  });
  it('N11 = 0: closed form of n_t, n_l, N, never positive', () => {
    // a/Y: a in d0,d1, Y only on d2 → perfect negative association, J > 0 but p11 = 0 < p1·p·1.
    expect(normalizedMutualInformation(0, 2, 1, 4)).toBeGreaterThan(0);
    expect(isPositivelyAssociated(0, 2, 1, 4)).toBe(false);
  });
  it('constant token and constant label give J = 0, not NaN', () => {
    expect(normalizedMutualInformation(4, 4, 4, 4)).toBe(0);
    expect(normalizedMutualInformation(2, 4, 2, 4)).toBe(0);
  });
});

describe('computeMig', () => {
  it('matches the hand computation on the tiny corpus', () => {
    const r = mig(DOCS, LABELS);
    expect(r.numDocs).toBe(4);
    expect(Array.from(r.tokenDocFreq)).toEqual([0, 0, 0, 0, 2, 2, 3]); // <unk> not counted
    expect(Array.from(r.labelDocFreq)).toEqual([2, 1, 0]);
    expect(Array.from(r.labels[0]!.tokens)).toEqual([A]);
    expect(r.labels[0]!.scores[0]).toBeCloseTo(1, 6);
    expect(Array.from(r.labels[1]!.tokens)).toEqual([B, C]);
    expect(r.labels[1]!.scores[0]).toBeCloseTo(0.2075187, 6);
    expect(r.labels[1]!.scores[1]).toBeCloseTo(0.0817042, 6);
    expect(r.labels[2]!.tokens).toHaveLength(0);
  });

  it('uses only the documents passed in (the caller passes the training split)', () => {
    // The "test" documents d4, d5 exist but are not passed: results equal the hand values above.
    const pool = [...DOCS, [A, B, C], [B]];
    const poolLabels = [...LABELS, [1], [1]];
    const trainOnly = mig(pool.slice(0, 4), poolLabels.slice(0, 4));
    expect(trainOnly.numDocs).toBe(4);
    expect(trainOnly.labels[1]!.scores[0]).toBeCloseTo(0.2075187, 6);
    // Passing them would change the numbers: the function is not reading anything else.
    expect(mig(pool, poolLabels).labels[1]!.scores[0]).not.toBeCloseTo(0.2075187, 3);
  });

  it('breaks ties by token id', () => {
    // Tokens 5 and 4 both occur exactly in the label's documents → same J = 1; 4 comes first.
    const r = mig([[5, 4], [4, 5], [6]], [[0], [0], []], 7, 1);
    expect(Array.from(r.labels[0]!.tokens)).toEqual([4, 5]);
    expect(r.labels[0]!.scores[0]).toBe(r.labels[0]!.scores[1]);
  });

  it('a label on every document has no positive token', () => {
    expect(mig([[4], [5]], [[0], [0]], 7, 1).labels[0]!.tokens).toHaveLength(0);
  });

  it('rejects mismatched inputs', () => {
    expect(() => computeMig({ presence: [], docLabels: [[0]], vocabSize: 7, numLabels: 1 })).toThrow(/label sets/);
    expect(() => mig([[4]], [[3]], 7, 1)).toThrow(/label id 3/);
  });

  it('property: equals a brute-force dense computation over all (t, l) pairs', () => {
    const corpus = fc.array(
      fc.record({
        tokens: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 8 }),
        labels: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(corpus, (docs) => {
        const V = 12;
        const L = 4;
        const r = mig(docs.map((d) => d.tokens), docs.map((d) => d.labels), V, L);
        const n = docs.length;
        for (let l = 0; l < L; l++) {
          const expected: { t: number; j: number }[] = [];
          const has = (d: (typeof docs)[number], t: number) => t > 2 && d.tokens.includes(t);
          const nL = docs.filter((d) => d.labels.includes(l)).length;
          for (let t = 0; t < V; t++) {
            const nT = docs.filter((d) => has(d, t)).length;
            const n11 = docs.filter((d) => has(d, t) && d.labels.includes(l)).length;
            if (isPositivelyAssociated(n11, nT, nL, n)) expected.push({ t, j: Math.fround(normalizedMutualInformation(n11, nT, nL, n)) });
          }
          expected.sort((x, y) => y.j - x.j || x.t - y.t);
          expect(Array.from(r.labels[l]!.tokens)).toEqual(expected.map((e) => e.t));
          r.labels[l]!.scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!.j, 6));
        }
      }),
      { numRuns: 200 },
    );
  });
});
