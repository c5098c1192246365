import { describe, expect, it } from 'vitest';
import { GradeTable, gradeForRank } from '../mig';
import { DEFAULT_TOKENIZER_SETTINGS, tokenize } from '../text/tokenizer';
import { buildVocabulary } from '../text/vocabulary';
import type { PlantCorpus, PlantDoc } from './corpus';
import { computeGrades } from './grades-stage';
import { applySpanGrades, spanTokenCounts } from './span-grades';
import { buildEncodedCorpus } from './tokenize-stage';

// Offsets (UTF-16) of the tokens, from Planter's tokenizer:
//   d0 "dolor toracico agudo con fiebre": dolor 0–5, toracico 6–14, agudo 15–20, con 21–24, fiebre 25–31
//   d1 "fiebre tras dolor toracico":      fiebre 0–6, tras 7–11, dolor 12–17, toracico 18–26
//   d2 "fiebre alta"; d3 "tos con fiebre": tos 0–3, con 4–7, fiebre 8–14
const TRAIN: PlantDoc[] = [
  // Two overlapping spans for label 0 (0–14 and 6–20: each token counted once), and one of a
  // single character (22–23) inside "con": a partial overlap still counts the token.
  { text: 'dolor toracico agudo con fiebre', labels: [0], spans: [{ label: 0, start: 0, end: 14 }, { label: 0, start: 6, end: 20 }, { label: 0, start: 22, end: 23 }] },
  // A span for label 2, which d1 does not carry: no evidence for a gold label, ignored.
  { text: 'fiebre tras dolor toracico', labels: [0, 1], spans: [{ label: 0, start: 12, end: 17 }, { label: 2, start: 0, end: 6 }] },
  { text: 'fiebre alta', labels: [1] },
  // "fiebre" is in all 4 training documents (> ½): a span on it leaves label 1 as MIG ranked it.
  { text: 'tos con fiebre', labels: [1], spans: [{ label: 1, start: 8, end: 14 }] },
];
const vocab = buildVocabulary(TRAIN.map((d) => tokenize(d.text)), DEFAULT_TOKENIZER_SETTINGS, { minCount: 1 });
const id = (w: string): number => vocab.idOf(w);

describe('spanTokenCounts', () => {
  it('maps span offsets to token ids through the tokenizer, once per document and label', () => {
    // ids by document frequency then alphabet: fiebre 4, con 5, dolor 6, toracico 7, agudo 8, …
    expect([id('fiebre'), id('con'), id('dolor'), id('toracico'), id('agudo')]).toEqual([4, 5, 6, 7, 8]);
    const counts = spanTokenCounts(TRAIN, vocab);
    expect([...counts.keys()].sort()).toEqual([0, 1]);
    // dolor: d0 and d1; toracico only in d0 (d1's span is 12–17, "dolor"); agudo, con: d0.
    expect(new Map([...counts.get(0)!].sort((a, b) => a[0] - b[0]))).toEqual(new Map([[5, 1], [6, 2], [7, 1], [8, 1]]));
    expect(counts.get(1)).toEqual(new Map([[4, 1]]));
  });
});

describe('applySpanGrades', () => {
  it('puts span tokens first (most documents, then grade, then id) and the rest below in their order', () => {
    // Label 0 before: toracico 101, fiebre 90, tras 50; label 1: tos 101.
    const table = new GradeTable(vocab.size, [
      { tokens: Int32Array.from([4, 7, 11]), grades: Uint8Array.from([90, 101, 50]), floor: 1 },
      { tokens: Int32Array.from([10]), grades: Uint8Array.from([101]), floor: 1 },
    ]);
    const tokenDocFreq = Int32Array.from({ length: vocab.size }, (_, t) => TRAIN.filter((d) => tokenize(d.text).map((w) => vocab.idOf(w)).includes(t)).length);
    expect(applySpanGrades(table, spanTokenCounts(TRAIN, vocab), { tokenDocFreq, numDocs: 4 })).toBe(1);
    // Ranking: dolor (2 docs), toracico (1 doc, grade 101), con (1, floor, id 5), agudo (1, floor, id 8), then fiebre, tras.
    const V = vocab.size;
    const expected = new Map([[6, 0], [7, 1], [5, 2], [8, 3], [4, 4], [11, 5]].map(([t, r]) => [t!, gradeForRank(r!, V)]));
    for (const [t, g] of expected) expect(table.gradeOf(0, t), vocab.tokens[t]).toBe(g);
    expect(table.gradeOf(0, id('dolor'))).toBe(101);
    expect(table.gradeOf(0, id('tos'))).toBe(1);
    // Label 1: its only span token is too common; unchanged.
    expect(table.gradeOf(1, id('tos'))).toBe(101);
    expect(table.gradeOf(1, id('fiebre'))).toBe(1);
  });
});

describe('computeGrades with spanRelevance', () => {
  const labels = [0, 1, 2].map((i) => ({ code: `L${i}`, title: '', synonyms: [] }));
  const corpus = (evaluationSpans: boolean): PlantCorpus => ({
    labels,
    train: TRAIN,
    unlabelled: [],
    tuning: [],
    // A span on a dev document: where the model is measured, never a training signal.
    evaluation: [{ text: 'tos alta', labels: [2], ...(evaluationSpans ? { spans: [{ label: 2, start: 0, end: 3 }] } : {}) }],
  });
  const gradesOf = (c: PlantCorpus, spanRelevance: boolean): number[][] => {
    const enc = buildEncodedCorpus(c, { vocabMinCount: 1, vocabMaxSize: 1000, numbers: 'keep' });
    const r = computeGrades(c, enc.train, enc.vocab, { spanRelevance });
    return [0, 1, 2].map((l) => Array.from({ length: enc.vocab.size }, (_, t) => r.table.gradeOf(l, t)));
  };

  it('off: the spans change nothing; on: only the training spans do, a dev span is ignored', () => {
    const off = gradesOf(corpus(true), false);
    const on = gradesOf(corpus(true), true);
    expect(gradesOf(corpus(false), true)).toEqual(on);
    expect(on[2]).toEqual(off[2]);
    expect(on[1]).toEqual(off[1]);
    expect(on[0]).not.toEqual(off[0]);
    expect(on[0]![id('dolor')]).toBe(101);
  });
});
