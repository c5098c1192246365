import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invertGold, NEG_INF_KEY, normalizeGold, ScoreMatrix, scoreKey, topK } from './scores';

describe('scoreKey', () => {
  it('orders like the float32 values; −0 = +0; NaN = −∞', () => {
    const values = [Number.NEGATIVE_INFINITY, -1e30, -1, -1e-30, 0, 1e-30, 0.5, 1, 1e30, Number.POSITIVE_INFINITY];
    const keys = values.map(scoreKey);
    for (let i = 1; i < keys.length; i++) expect(keys[i]!).toBeGreaterThan(keys[i - 1]!);
    expect(scoreKey(-0)).toBe(scoreKey(0));
    expect(scoreKey(Number.NaN)).toBe(NEG_INF_KEY);
    expect(keys.every((k) => k >= 0 && k < 2 ** 32)).toBe(true);
  });
});

describe('topK', () => {
  it('best first, ties by lower label index', () => {
    expect(Array.from(topK(Float32Array.from([0.5, 0.9, 0.5, 0.1, 0.9]), 3))).toEqual([1, 4, 0]);
  });
  it('k larger than L returns every ranked label; −∞ and NaN are never selected', () => {
    const s = Float32Array.from([0.2, Number.NEGATIVE_INFINITY, Number.NaN, -5]);
    expect(Array.from(topK(s, 5))).toEqual([0, 3]);
  });
  it('respects an allowed mask', () => {
    expect(Array.from(topK(Float32Array.from([0.9, 0.8, 0.7]), 2, Uint8Array.from([0, 1, 1])))).toEqual([1, 2]);
  });
  it('property: equals a stable full sort', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 30 }), fc.integer({ min: 1, max: 8 }), (ints, k) => {
        const s = Float32Array.from(ints.map((x) => x / 2));
        const expected = [...s.keys()].sort((a, b) => s[b]! - s[a]! || a - b).slice(0, k);
        expect(Array.from(topK(s, k))).toEqual(expected);
      }),
    );
  });
});

describe('ScoreMatrix', () => {
  const m = new ScoreMatrix([Float32Array.from([0.1, 0.2, 0.3]), { labels: [2, 0], scores: [0.9, 0.4] }], 3);
  it('expands sparse rows with −∞ for unlisted labels', () => {
    expect(Array.from(m.row(1))).toEqual([Math.fround(0.4), Number.NEGATIVE_INFINITY, Math.fround(0.9)]);
    expect(Array.from(m.row(0))).toEqual([0.1, 0.2, 0.3].map(Math.fround));
  });
  it('columns are label-major [(l − l0)·D + d]', () => {
    expect(Array.from(m.columns(1, 3))).toEqual([Math.fround(0.2), Number.NEGATIVE_INFINITY, Math.fround(0.3), Math.fround(0.9)]);
  });
  it('validates shapes and label ids', () => {
    expect(() => new ScoreMatrix([new Float32Array(2)], 3)).toThrow(/document 0 has 2 scores/);
    expect(() => new ScoreMatrix([{ labels: [3], scores: [1] }], 3)).toThrow(/label 3/);
    expect(() => new ScoreMatrix([{ labels: [0], scores: [] }], 3)).toThrow(/1 labels but 0 scores/);
  });
});

describe('gold helpers', () => {
  it('normalizeGold dedupes, sorts and validates; invertGold lists docs per label', () => {
    const g = normalizeGold([[2, 0, 2], []], 2, 3);
    expect(g.map((x) => Array.from(x))).toEqual([[0, 2], []]);
    expect(invertGold(g, 3).map((x) => Array.from(x))).toEqual([[0], [], [0]]);
    expect(() => normalizeGold([[5]], 1, 3)).toThrow(/document 0 has label 5/);
    expect(() => normalizeGold([], 1, 3)).toThrow(/0 label sets for 1/);
  });
});
