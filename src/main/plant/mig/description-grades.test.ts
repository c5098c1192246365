import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKENIZER_SETTINGS, tokenize } from '../text/tokenizer';
import { buildVocabulary, UNK_ID } from '../text/vocabulary';
import { blendGrades, buildGradeTable, rankDescriptionTokens, smoothedIdf } from './description-grades';
import type { LabelDescription } from './description-grades';
import { computeMig } from './mig';
import { buildTokenPresence } from './presence';
import { encodeTokens } from '../text/encode';

// Training docs; label 0 on d0, d1; label 1 on d2, d3; label 2 has no training document.
const TEXTS = ['fracture of the femur', 'fracture of the arm', 'pain in the chest', 'chest pain of the heart'];
const LABELS = [[0], [0], [1], [1]];
const toks = TEXTS.map((t) => tokenize(t));
const vocab = buildVocabulary(toks, DEFAULT_TOKENIZER_SETTINGS, { minCount: 1 });
// document frequencies: the 4, of 3, chest 2, fracture 2, pain 2, arm 1, femur 1, heart 1, in 1 → V = 4 + 9 = 13
const ids = toks.map((t) => encodeTokens(t, vocab));
const mig = computeMig({ presence: buildTokenPresence(ids, vocab.size), docLabels: LABELS, vocabSize: vocab.size, numLabels: 3 });
const id = (w: string) => vocab.idOf(w);

const HEART: LabelDescription = {
  code: 'I51.0',
  title: 'Fracture of the heart',
  synonyms: ['cardiac rupture'],
  parentTitles: ['Chest disorders'],
};

describe('smoothedIdf', () => {
  it('is ln((1 + N) / (1 + n_t)) + 1', () => {
    const idf = smoothedIdf(Int32Array.from([0, 1, 4]), 4);
    expect(idf[0]).toBeCloseTo(Math.log(5) + 1, 12);
    expect(idf[1]).toBeCloseTo(Math.log(2.5) + 1, 12);
    expect(idf[2]).toBeCloseTo(1, 12);
  });
});

describe('rankDescriptionTokens', () => {
  it('ranks by field weight × IDF and drops unknown and very common tokens', () => {
    const r = rankDescriptionTokens(HEART, vocab, mig.tokenDocFreq, mig.numDocs);
    // heart: 1 × (ln(5/2) + 1) = 1.916291; fracture: 1 × (ln(5/3) + 1) = 1.510826;
    // chest (parent): 0.5 × 1.510826 = 0.755413; "of" (3/4 docs) and "the" (4/4) exceed ½ of N;
    // cardiac, rupture, disorders are not in the vocabulary.
    expect(Array.from(r.tokens)).toEqual([id('heart'), id('fracture'), id('chest')]);
    expect(r.weights[0]).toBeCloseTo(1.916291, 6);
    expect(r.weights[1]).toBeCloseTo(1.510826, 6);
    expect(r.weights[2]).toBeCloseTo(0.755413, 6);
    expect(Array.from(r.tokens)).not.toContain(UNK_ID);
  });

  it('a token in several fields keeps its best field weight', () => {
    const r = rankDescriptionTokens({ code: 'x', title: 'arm', synonyms: [], parentTitles: ['arm'] }, vocab, mig.tokenDocFreq, 4);
    expect(r.weights[0]).toBeCloseTo(Math.log(2.5) + 1, 9);
  });
});

describe('blendGrades', () => {
  it('α·G_mig + (1 − α)·G_desc per token, unlisted = floor, rounded', () => {
    const m = { tokens: Int32Array.from([4, 6]), grades: Uint8Array.from([101, 50]), floor: 1 };
    const d = { tokens: Int32Array.from([5, 6]), grades: Uint8Array.from([101, 30]), floor: 1 };
    // α = 1/3 (n = 1, k = 2): t4 = 101/3 + 2/3 = 34.33 → 34; t5 = 1/3 + 202/3 = 67.67 → 68; t6 = 50/3 + 60/3 = 36.67 → 37
    const b = blendGrades(m, d, 1 / 3);
    expect(Array.from(b.tokens)).toEqual([4, 5, 6]);
    expect(Array.from(b.grades)).toEqual([34, 68, 37]);
  });
});

describe('buildGradeTable with descriptions', () => {
  const descriptions = [{ code: 'S72', title: 'femur fracture', synonyms: [] }, undefined, HEART];

  it('zero-shot label: description tokens ranked first, everything else at the floor', () => {
    const table = buildGradeTable(mig, { vocab, descriptions });
    // V = 13: ranks 0, 1, 2 → q = 0, 1/12, 2/12 → grades 101, 27, 20
    // (1/12 = 0.0833: e_73 = 0.0811 < q ≤ e_74 = 0.0890; 1/6: e_80 = 0.1555 < q ≤ e_81 = 0.1707)
    expect(table.source(2)).toBe('description');
    expect(table.gradeOf(2, id('heart'))).toBe(101);
    expect(table.gradeOf(2, id('fracture'))).toBe(27);
    expect(table.gradeOf(2, id('chest'))).toBe(20);
    expect(table.gradeOf(2, id('pain'))).toBe(1);
  });

  it('few-shot label (2 docs) blends with α = 2 / (2 + k), here k = 2: ½; labels without description stay MIG', () => {
    const table = buildGradeTable(mig, { vocab, descriptions, blendK: 2 });
    const pure = buildGradeTable(mig);
    expect(table.source(0)).toBe('blend');
    expect(table.source(1)).toBe('mig');
    const desc = rankDescriptionTokens(descriptions[0]!, vocab, mig.tokenDocFreq, 4); // femur, fracture
    expect(Array.from(desc.tokens)).toEqual([id('femur'), id('fracture')]);
    for (const w of ['femur', 'fracture', 'arm', 'pain']) {
      const gm = pure.gradeOf(0, id(w));
      const gd = w === 'femur' ? 101 : w === 'fracture' ? 27 : 1;
      expect(table.gradeOf(0, id(w))).toBe(Math.round(0.5 * gm + 0.5 * gd));
    }
    expect(table.gradeOf(1, id('chest'))).toBe(pure.gradeOf(1, id('chest')));
  });

  it('by default a few-shot label takes its description grades (α = 2 / 1002 moves none of them)', () => {
    const table = buildGradeTable(mig, { vocab, descriptions });
    expect(table.source(0)).toBe('blend');
    expect(table.gradeOf(0, id('femur'))).toBe(101);
    expect(table.gradeOf(0, id('fracture'))).toBe(27);
    for (const w of ['arm', 'pain', 'chest']) expect(table.gradeOf(0, id(w))).toBe(1);
  });

  it('above fewShotMaxDocs a label uses MIG only; without a vocabulary, MIG only', () => {
    const table = buildGradeTable(mig, { vocab, descriptions, fewShotMaxDocs: 1 });
    expect(table.source(0)).toBe('mig');
    expect(buildGradeTable(mig).source(2)).toBe('none');
  });
});
