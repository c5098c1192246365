import { describe, expect, it } from 'vitest';
import { buildNeighbourIndex, neighboursCarrying, NeighbourSearch, votesOf } from './neighbours';
import type { Csr, SparseVector } from './sparse';

// d0 = 0.6·f0 + 0.8·f1 (label 0), d1 = f1 (label 1), d2 = 0.6·f2 + 0.8·f3 (labels 0, 2).
const X: Csr = {
  rows: 3,
  cols: 4,
  indptr: Int32Array.of(0, 2, 3, 5),
  indices: Int32Array.of(0, 1, 1, 2, 3),
  data: Float32Array.of(0.6, 0.8, 1, 0.6, 0.8),
};
const labels = [[0], [1], [0, 2, 2]];
const vec = (entries: [number, number][]): SparseVector => ({ indices: Int32Array.from(entries, (e) => e[0]), values: Float32Array.from(entries, (e) => e[1]) });

describe('nearest training documents', () => {
  it('ranks training documents by cosine (worked by hand)', () => {
    const s = new NeighbourSearch(buildNeighbourIndex(X, labels, { keep: 10 }));
    // x = 0.6·f1 + 0.8·f3: d0 0.8·0.6 = 0.48, d1 0.6, d2 0.8·0.8 = 0.64
    const nb = s.nearest(vec([[1, 0.6], [3, 0.8]]), { k: 3, queryFeatures: 10 });
    expect(Array.from(nb.docs)).toEqual([2, 1, 0]);
    [0.64, 0.6, 0.48].forEach((v, i) => expect(nb.sims[i]).toBeCloseTo(v, 6));
  });

  it('votes with the similarity of the neighbours carrying each label, normalised by all k', () => {
    const ix = buildNeighbourIndex(X, labels, { keep: 10 });
    const v = new NeighbourSearch(ix).votes(vec([[1, 0.6], [3, 0.8]]), { k: 2, queryFeatures: 10 });
    // neighbours d2 (0.64: labels 0, 2) and d1 (0.6: label 1); total 1.24; ties go to the lower label
    expect(Array.from(v.labels)).toEqual([0, 2, 1]);
    expect(v.votes[0]).toBeCloseTo(0.64 / 1.24, 6);
    expect(v.votes[1]).toBeCloseTo(0.64 / 1.24, 6);
    expect(v.votes[2]).toBeCloseTo(0.6 / 1.24, 6);
    expect(votesOf(ix, { docs: new Int32Array(0), sims: new Float32Array(0) }).labels.length).toBe(0);
  });

  it('keeps only the heaviest features of each training document and walks only the query’s heaviest', () => {
    const kept = new NeighbourSearch(buildNeighbourIndex(X, labels, { keep: 1 }));
    // d0 keeps f1 only, so a query on f0 no longer reaches it
    expect(Array.from(kept.nearest(vec([[0, 1]]), { k: 3, queryFeatures: 10 }).docs)).toEqual([]);
    const full = new NeighbourSearch(buildNeighbourIndex(X, labels, { keep: 10 }));
    expect(Array.from(full.nearest(vec([[0, 1]]), { k: 3, queryFeatures: 10 }).docs)).toEqual([0]);
    // the query's heaviest feature is f3: only d2 is reached
    expect(Array.from(full.nearest(vec([[1, 0.6], [3, 0.8]]), { k: 3, queryFeatures: 1 }).docs)).toEqual([2]);
  });

  it('leaves its scratch clean between queries, and ignores features the index never saw', () => {
    const s = new NeighbourSearch(buildNeighbourIndex(X, labels, { keep: 10 }));
    s.nearest(vec([[1, 1]]), { k: 3, queryFeatures: 10 });
    const again = s.nearest(vec([[2, 1], [9, 1]]), { k: 3, queryFeatures: 10 });
    expect(Array.from(again.docs)).toEqual([2]);
    expect(again.sims[0]).toBeCloseTo(0.6, 6);
  });

  it('never lets a document vote for itself: its own copy in the index is skipped by text hash', () => {
    const s = new NeighbourSearch(buildNeighbourIndex(X, labels, { keep: 10 }, [11, 22, 33]));
    const x = vec([[1, 0.6], [3, 0.8]]);
    expect(Array.from(s.nearest(x, { k: 3, queryFeatures: 10 }, 33).docs)).toEqual([1, 0]);
    expect(Array.from(s.nearest(x, { k: 3, queryFeatures: 10 }, 44).docs)).toEqual([2, 1, 0]);
    expect(Array.from(s.votes(x, { k: 1, queryFeatures: 10 }, 33).labels)).toEqual([1]);
  });

  it('names the neighbours that carry a label, most similar first, by project id and text hash', () => {
    const ix = buildNeighbourIndex(X, labels, { keep: 10 }, [11, 22, 33], [501, -1, 503]);
    expect(Array.from(ix.docId!)).toEqual([501, -1, 503]);
    // neighbours d2 0.64 (labels 0, 2), d1 0.6 (label 1), d0 0.48 (label 0)
    const nb = new NeighbourSearch(ix).nearest(vec([[1, 0.6], [3, 0.8]]), { k: 3, queryFeatures: 10 });
    const carrying0 = neighboursCarrying(ix, nb, 0, 5);
    expect(carrying0.map((d) => [d.position, d.docId, d.hash])).toEqual([[2, 503, 33], [0, 501, 11]]);
    expect(carrying0[0]!.similarity).toBeCloseTo(0.64, 6);
    expect(carrying0[1]!.similarity).toBeCloseTo(0.48, 6);
    expect(neighboursCarrying(ix, nb, 0, 1).map((d) => d.position)).toEqual([2]);
    // d1 has no project id (-1): named by position only
    expect(neighboursCarrying(ix, nb, 1, 5)).toMatchObject([{ position: 1, docId: null, hash: 22 }]);
    expect(neighboursCarrying(ix, nb, 3, 5)).toEqual([]);
    // an index without ids or hashes still names positions
    const bare = buildNeighbourIndex(X, labels, { keep: 10 });
    expect(neighboursCarrying(bare, nb, 2, 5)).toMatchObject([{ position: 2, docId: null, hash: null }]);
  });

  it('rejects label lists that do not match the documents', () => {
    expect(() => buildNeighbourIndex(X, [[0]], { keep: 4 })).toThrow(/1 label lists for 3 documents/);
    expect(() => buildNeighbourIndex(X, labels, { keep: 4 }, undefined, [1, 2])).toThrow(/2 document ids for 3 documents/);
  });
});
