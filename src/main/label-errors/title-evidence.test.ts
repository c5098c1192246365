import { describe, expect, it } from 'vitest';
import { labelStems, stemSet, titleMatch, titleOverlap } from './title-evidence';

describe('title evidence', () => {
  it('keeps the first five letters of each word, without numbers, short words or catalogue filler', () => {
    expect([...stemSet('Type 2 diabetes mellitus without complications, unspecified, of the left eye')].sort()).toEqual(['compl', 'diabe', 'eye', 'melli']);
    expect([...stemSet('A diabetic patient with fractures')].sort()).toEqual(['diabe', 'fract', 'patie']);
  });

  it('counts the title words the document uses (hand-counted), over title and synonyms', () => {
    const doc = stemSet('The diabetic patient presented with a fracture of the femur.');
    const title = labelStems({ title: 'Type 2 diabetes mellitus', synonyms: ['Adult-onset diabetes'] }); // diabe, melli, adult, onset
    expect(titleMatch(title, doc)).toEqual({ shared: 1, words: 4 });
    expect(titleOverlap(titleMatch(title, doc))).toBe(0.25);
    expect(titleMatch(labelStems({ title: 'Fracture of femur' }), doc)).toEqual({ shared: 2, words: 2 });
    expect(titleMatch(labelStems({ title: 'Brucellosis' }), doc)).toEqual({ shared: 0, words: 1 });
  });

  it('a title without a comparable word is no evidence (NaN), not a mismatch', () => {
    const m = titleMatch(labelStems({ title: 'Other, unspecified' }), stemSet('anything at all'));
    expect(m).toEqual({ shared: 0, words: 0 });
    expect(titleOverlap(m)).toBeNaN();
  });
});
