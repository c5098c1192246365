import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGradeTable, refreshGradeTable } from './description-grades';
import { MigIndex } from './incremental';
import { computeMig } from './mig';
import type { MigResult } from './mig';
import { buildTokenPresence } from './presence';

const V = 16;
const L = 5;

function full(docs: number[][], labels: number[][]): MigResult {
  return computeMig({ presence: buildTokenPresence(docs, V), docLabels: labels, vocabSize: V, numLabels: L });
}

function same(a: MigResult, b: MigResult, label: number): void {
  expect(Array.from(a.labels[label]!.tokens)).toEqual(Array.from(b.labels[label]!.tokens));
  expect(Array.from(a.labels[label]!.scores)).toEqual(Array.from(b.labels[label]!.scores));
}

const docArb = fc.record({
  tokens: fc.array(fc.integer({ min: 0, max: V - 1 }), { maxLength: 10 }),
  labels: fc.uniqueArray(fc.integer({ min: 0, max: L - 1 }), { maxLength: 3 }),
});

describe('MigIndex', () => {
  it('hand example: moving a label between documents refreshes only old ∪ new labels', () => {
    const docs = [[4, 5], [4, 6], [5, 6], [6]];
    const labels = [[0], [0], [1], []];
    const index = new MigIndex({ docTokens: docs, docLabels: labels, vocabSize: V, numLabels: L });
    index.setDocLabels(1, [1, 2]); // d1 loses 0, gains 1 and 2
    expect(index.pendingLabels).toEqual([0, 1, 2]);
    expect(index.refresh()).toEqual([0, 1, 2]);
    expect(index.pendingLabels).toEqual([]);
    const expected = full(docs, [[0], [1, 2], [1], []]);
    for (let l = 0; l < L; l++) same(index.result(), expected, l);
    expect(Array.from(index.result().labelDocFreq)).toEqual([1, 2, 1, 0, 0]);
  });

  it('property: after label edits, incremental == full recompute for every label', () => {
    fc.assert(
      fc.property(
        fc.array(docArb, { minLength: 1, maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(), fc.uniqueArray(fc.integer({ min: 0, max: L - 1 }), { maxLength: 3 })), { maxLength: 5 }),
        (corpus, edits) => {
          const docs = corpus.map((d) => d.tokens);
          const labels = corpus.map((d) => d.labels);
          const index = new MigIndex({ docTokens: docs, docLabels: labels, vocabSize: V, numLabels: L });
          for (const [doc, ls] of edits) {
            index.setDocLabels(doc % docs.length, ls);
            labels[doc % docs.length] = ls;
          }
          index.refresh();
          const expected = full(docs, labels);
          for (let l = 0; l < L; l++) same(index.result(), expected, l);
          expect(index.staleLabels).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: after adding documents, touched labels == full recompute; the others are flagged stale', () => {
    fc.assert(
      fc.property(fc.array(docArb, { minLength: 1, maxLength: 8 }), fc.array(docArb, { minLength: 1, maxLength: 3 }), (base, added) => {
        const index = new MigIndex({ docTokens: base.map((d) => d.tokens), docLabels: base.map((d) => d.labels), vocabSize: V, numLabels: L });
        const ids = index.addDocuments(added.map((d) => d.tokens), added.map((d) => d.labels));
        expect(ids).toEqual(added.map((_, i) => base.length + i));
        const touched = index.refresh();
        const all = [...base, ...added];
        const expected = full(all.map((d) => d.tokens), all.map((d) => d.labels));
        for (const l of touched) same(index.result(), expected, l);
        expect(index.staleLabels).toBe(L - touched.length);
        index.refreshAll();
        expect(index.staleLabels).toBe(0);
        for (let l = 0; l < L; l++) same(index.result(), expected, l);
      }),
      { numRuns: 100 },
    );
  });

  it('refreshGradeTable re-grades exactly the touched labels', () => {
    const docs = [[4, 5, 7], [4, 6], [5, 6, 7], [6, 8], [8, 9]];
    const labels = [[0], [0, 3], [1], [2], [2]];
    const index = new MigIndex({ docTokens: docs, docLabels: labels, vocabSize: V, numLabels: L });
    const table = buildGradeTable(index.result());
    index.setDocLabels(3, [3]);
    const touched = index.refresh();
    refreshGradeTable(table, index.result(), touched);
    const fresh = buildGradeTable(full(docs, [[0], [0, 3], [1], [3], [2]]));
    for (let l = 0; l < L; l++) {
      expect(Array.from(table.label(l).tokens)).toEqual(Array.from(fresh.label(l).tokens));
      expect(Array.from(table.label(l).grades)).toEqual(Array.from(fresh.label(l).grades));
    }
  });

  it('rejects bad document ids', () => {
    const index = new MigIndex({ docTokens: [[4]], docLabels: [[0]], vocabSize: V, numLabels: L });
    expect(() => index.setDocLabels(1, [0])).toThrow(/document 1/);
    expect(() => index.setDocLabels(0, [9])).toThrow(/label id 9/);
  });
});
