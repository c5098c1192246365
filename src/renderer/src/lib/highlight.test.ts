import { describe, expect, it } from 'vitest';
import { segments } from './highlight';
import { paragraphs } from './paragraphs';

describe('segments', () => {
  it('covers the text exactly once, highlighting the spans', () => {
    const text = 'Patient with type 2 diabetes and hypertension.';
    const s = segments(text, [
      { start: 13, end: 28, weight: 0.9 },
      { start: 33, end: 45, weight: 0.4 },
    ]);
    expect(s.map((x) => x.text).join('')).toBe(text);
    expect(s.filter((x) => x.weight > 0).map((x) => [x.text, x.weight])).toEqual([
      ['type 2 diabetes', 0.9],
      ['hypertension', 0.4],
    ]);
  });

  it('keeps the larger weight where spans overlap, clips out-of-range spans and drops empty ones', () => {
    const s = segments('abcdefgh', [
      { start: 1, end: 5, weight: 0.3 },
      { start: 3, end: 20, weight: 0.8 },
      { start: 6, end: 6, weight: 1 },
      { start: -4, end: 1, weight: 0 },
    ]);
    expect(s.map((x) => [x.text, x.weight, x.start])).toEqual([
      ['a', 0, 0],
      ['bc', 0.3, 1],
      ['defgh', 0.8, 3],
    ]);
  });

  it('returns the plain text without spans, and nothing for an empty text', () => {
    expect(segments('plain', [])).toEqual([{ text: 'plain', weight: 0, start: 0 }]);
    expect(segments('', [{ start: 0, end: 3, weight: 1 }])).toEqual([]);
  });
});

describe('paragraphs', () => {
  it('splits on line breaks, keeps document offsets, and highlights spans inside each line', () => {
    const text = 'Fever.\n\nAdenopathies in the mesentery.';
    const ps = paragraphs(text, [{ start: 8, end: 20, weight: 1 }]);
    expect(ps.map((p) => p.start)).toEqual([0, 7, 8]);
    expect(ps.map((p) => p.segments.map((s) => s.text).join(''))).toEqual(['Fever.', '', 'Adenopathies in the mesentery.']);
    expect(ps[2]!.segments[0]).toEqual({ text: 'Adenopathies', weight: 1, start: 8 });
    expect(ps.map((p) => p.segments.map((s) => s.text).join('')).join('\n')).toBe(text);
  });
});
