import { describe, expect, it } from 'vitest';
import { boundedDistances, typoBudget } from './fuzzy';

const d = (a: string, b: string, max = 2) => boundedDistances(a, b, 0, b.length, max);

describe('boundedDistances', () => {
  it('counts substitutions, insertions, deletions and adjacent swaps as one edit each (hand-checked)', () => {
    expect(d('diabetis', 'diabetes')).toEqual({ whole: 1, prefix: 1 }); // i → e
    expect(d('diabtes', 'diabetes')).toEqual({ whole: 1, prefix: 1 }); // swap "et" → "te"
    expect(d('diabets', 'diabetes')).toEqual({ whole: 1, prefix: 1 }); // a missing "e"
    expect(d('diabeetes', 'diabetes')).toEqual({ whole: 1, prefix: 1 }); // one "e" too many
    expect(d('hypertension', 'hypertension')).toEqual({ whole: 0, prefix: 0 });
    expect(d('hypretenson', 'hypertension')).toEqual({ whole: 2, prefix: 2 }); // swap + missing "i"
  });

  it('the prefix distance is what was typed so far against the start of the word', () => {
    // "diabte" is two insertions from "diabetes" (diab·e·te·s) but one swap from its prefix "diabet".
    expect(d('diabte', 'diabetes')).toEqual({ whole: 2, prefix: 1 });
    expect(d('pnemon', 'pneumonia')).toEqual({ whole: 3, prefix: 1 }); // a missing "u"
  });

  it('stops at the bound: anything farther reads as max + 1', () => {
    expect(d('kidney', 'kindergarten', 1)).toEqual({ whole: 2, prefix: 2 });
    expect(d('abc', 'xyz', 1)).toEqual({ whole: 2, prefix: 2 });
    expect(d('fracture', 'fracture', 0)).toEqual({ whole: 0, prefix: 0 });
  });

  it('reads the word from a packed string by offsets', () => {
    const packed = 'anemiadiabetesfever';
    expect(boundedDistances('diabetis', packed, 6, 14, 2)).toEqual({ whole: 1, prefix: 1 });
  });
});

describe('typoBudget', () => {
  it('allows no slip under 5 letters, one for 5–7, two from 8', () => {
    expect([3, 4, 5, 7, 8, 12].map(typoBudget)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
