import { describe, expect, it } from 'vitest';
import { buildTokenPresence, invertLabels, normalizeLabelSet, tokenDocumentFrequency } from './presence';

describe('buildTokenPresence', () => {
  it('keeps distinct ids per document, ascending, without pad/unk/mask', () => {
    const p = buildTokenPresence([[5, 4, 5, 1, 0], [], [3, 6, 2, 6]], 7);
    expect(p.map((x) => Array.from(x))).toEqual([[4, 5], [], [3, 6]]);
  });
  it('honours a custom ignore list and rejects out-of-range ids', () => {
    expect(Array.from(buildTokenPresence([[1, 2, 4]], 5, [4])[0]!)).toEqual([1, 2]);
    expect(() => buildTokenPresence([[0, 9]], 5)).toThrow(/document 0 position 1 has token id 9/);
    expect(() => buildTokenPresence([[1.5]], 5)).toThrow(/1.5/);
  });
  it('survives growing its buffer (many documents)', () => {
    const docs = Array.from({ length: 600 }, (_, d) => [4 + (d % 3), 4, 5, 6, 4]);
    const p = buildTokenPresence(docs, 8);
    expect(p.every((x) => Array.from(x).join() === '4,5,6')).toBe(true);
    expect(Array.from(tokenDocumentFrequency(p, 8))).toEqual([0, 0, 0, 0, 600, 600, 600, 0]);
  });
});

describe('label sets', () => {
  it('normalizeLabelSet sorts, dedupes and validates', () => {
    expect(Array.from(normalizeLabelSet([2, 0, 2], 3, 'x'))).toEqual([0, 2]);
    expect(() => normalizeLabelSet([3], 3, 'doc 7')).toThrow(/doc 7: label id 3/);
  });
  it('invertLabels lists documents per label, ascending', () => {
    const inv = invertLabels([Int32Array.from([0, 2]), Int32Array.from([]), Int32Array.from([2])], 4);
    expect(inv.map((x) => Array.from(x))).toEqual([[0], [], [0, 2], []]);
  });
});
