import { describe, expect, it } from 'vitest';
import { withSpanTerms } from './span-terms';

describe('withSpanTerms', () => {
  it('puts span texts first, most marked first, folded to lower case and one space, without repeats', () => {
    const labels = [{ labelId: 1, terms: ['abdominal', 'dolor abdominal'] }];
    const spans = [
      { labelId: 1, text: 'dolor  abdominal', n: 1 },
      { labelId: 1, text: 'Dolor abdominal', n: 2 },
      { labelId: 1, text: 'epigastralgia', n: 2 },
    ];
    expect(withSpanTerms(labels, spans)).toEqual([{ labelId: 1, terms: ['dolor abdominal', 'epigastralgia', 'abdominal'] }]);
  });

  it('a label with spans but no distinctive terms gets its span texts; others are unchanged', () => {
    expect(withSpanTerms([{ labelId: 2, terms: ['fiebre'] }], [{ labelId: 9, text: 'edemas', n: 1 }], 8)).toEqual([
      { labelId: 2, terms: ['fiebre'] },
      { labelId: 9, terms: ['edemas'] },
    ]);
  });

  it('keeps at most perLabel span texts', () => {
    const spans = ['a1', 'a2', 'a3'].map((text, i) => ({ labelId: 1, text, n: 3 - i }));
    expect(withSpanTerms([], spans, 2)).toEqual([{ labelId: 1, terms: ['a1', 'a2'] }]);
  });
});
