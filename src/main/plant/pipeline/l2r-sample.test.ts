import { describe, expect, it } from 'vitest';
import { coveringSample } from './l2r-sample';

// 8 documents over 4 labels: label 3 is only on document 6, label 2 on documents 4 and 5,
// label 1 on documents 2–5, label 0 on every document.
const docs = [[0], [0], [0, 1], [0, 1], [0, 1, 2], [0, 1, 2], [0, 3], [0]];

describe('coveringSample', () => {
  it('takes the rare labels documents before filling at random', () => {
    const s = coveringSample(docs, 4, { perLabel: 1, minDocs: 0, maxDocs: 100, seed: 7 });
    // label 3 forces document 6; label 2 forces one of 4 and 5, which also covers 1 and 0.
    expect(s).toContain(6);
    expect(s.filter((d) => d === 4 || d === 5)).toHaveLength(1);
    expect(s).toHaveLength(2);
  });

  it('gives each label up to perLabel of its own documents, counting shared ones for all', () => {
    const s = coveringSample(docs, 4, { perLabel: 2, minDocs: 0, maxDocs: 100, seed: 7 });
    // 3 → {6}; 2 → {4, 5} (which also give label 1 two); 0 already has three.
    expect(s).toEqual([4, 5, 6]);
  });

  it('fills up to minDocs with other documents and never exceeds the corpus', () => {
    expect(coveringSample(docs, 4, { perLabel: 1, minDocs: 5, maxDocs: 100, seed: 7 })).toHaveLength(5);
    expect(coveringSample(docs, 4, { perLabel: 1, minDocs: 50, maxDocs: 100, seed: 7 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('stops covering at maxDocs, rarest labels first', () => {
    expect(coveringSample(docs, 4, { perLabel: 2, minDocs: 0, maxDocs: 1, seed: 7 })).toEqual([6]);
  });

  it('is a pure function of its seed', () => {
    const many = Array.from({ length: 200 }, (_, i) => [i % 7, 7 + (i % 3)]);
    const a = coveringSample(many, 10, { perLabel: 1, minDocs: 20, maxDocs: 100, seed: 1 });
    expect(coveringSample(many, 10, { perLabel: 1, minDocs: 20, maxDocs: 100, seed: 1 })).toEqual(a);
    expect(coveringSample(many, 10, { perLabel: 1, minDocs: 20, maxDocs: 100, seed: 2 })).not.toEqual(a);
    expect(a).toEqual([...a].sort((x, y) => x - y));
  });
});
