import { describe, expect, it } from 'vitest';
import { KeyTable } from './key-table';
import { bigramKey, fitTfidf, keyTokens, ngramKeys, TfidfVectorizer } from './tfidf';

const V = 10; // ids 0–2 are pad/unk/mask, 3 is <num>, 4… words

describe('KeyTable', () => {
  it('counts, grows past its first capacity and prunes', () => {
    const t = new KeyTable(2);
    for (let i = 0; i < 1000; i++) t.add(i * 1e9 + 7, i % 3 === 0 ? 2 : 1);
    expect(t.size).toBe(1000);
    expect(t.get(3e9 + 7)).toBe(2);
    expect(t.get(1e9 + 7)).toBe(1);
    expect(t.get(5)).toBe(-1);
    expect(t.retain((_, v) => v >= 2)).toBe(666);
    expect(t.size).toBe(334);
    expect(t.has(1e9 + 7)).toBe(false);
  });
});

describe('n-gram keys', () => {
  it('makes unigrams and bigrams, never across pad, <unk> or <mask>', () => {
    // words 4 5 <unk> 6 7
    const keys = ngramKeys(Int32Array.of(4, 5, 1, 6, 7), V, 2);
    expect([...keys]).toEqual([4, 5, 6, 7, bigramKey(4, 5, V), bigramKey(6, 7, V)].sort((a, b) => a - b));
    expect(keyTokens(bigramKey(6, 7, V), V)).toEqual([6, 7]);
    expect(keyTokens(5, V)).toEqual([5]);
    expect([...ngramKeys(Int32Array.of(4, 5), V, 1)]).toEqual([4, 5]);
  });
});

describe('TF-IDF', () => {
  // three documents over words a=4, b=5, c=6
  const docs = [Int32Array.of(4, 5, 4), Int32Array.of(4, 6), Int32Array.of(5, 6, 6)];

  it('keeps features with df ≥ minDf and computes the smooth idf by hand', () => {
    const { model } = fitTfidf(docs, V, { minDf: 2 });
    // df: a 2, b 2, c 2; bigrams "a b", "b a", "a c", "b c", "c c" each 1 → dropped
    expect([...model.keys]).toEqual([4, 5, 6]);
    const idf = Math.log(4 / 3) + 1;
    model.idf.forEach((v) => expect(v).toBeCloseTo(idf, 6));
  });

  it('caps the features by document frequency', () => {
    const { model } = fitTfidf([...docs, Int32Array.of(4)], V, { minDf: 1, maxFeatures: 1 });
    expect([...model.keys]).toEqual([4]); // a is in 3 documents
  });

  it('rows are sublinear tf × idf, L2-normalised (hand-computed)', () => {
    const { model } = fitTfidf(docs, V, { minDf: 1, ngrams: 1 });
    const vec = new TfidfVectorizer(model);
    const row = vec.transform(Int32Array.of(4, 4, 5, 9)); // word 9 never seen: no feature
    const idfA = Math.log(4 / 3) + 1;
    const va = (1 + Math.log(2)) * idfA;
    const vb = 1 * idfA;
    const n = Math.hypot(va, vb);
    expect([...row.indices]).toEqual([0, 1]);
    expect(row.values[0]).toBeCloseTo(va / n, 6);
    expect(row.values[1]).toBeCloseTo(vb / n, 6);
  });

  it('an empty or all-unknown document is an empty row', () => {
    const { model } = fitTfidf(docs, V, { minDf: 1 });
    const vec = new TfidfVectorizer(model);
    expect(vec.transform(Int32Array.of()).indices.length).toBe(0);
    expect(vec.transform(Int32Array.of(1, 1)).indices.length).toBe(0);
  });

  it('transformAll stacks the rows, in shared memory when asked', () => {
    const { model } = fitTfidf(docs, V, { minDf: 1 });
    const vec = new TfidfVectorizer(model);
    const X = vec.transformAll(docs, true);
    expect(X.rows).toBe(3);
    expect(X.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const r1 = vec.transform(docs[1]!);
    expect([...X.indices.subarray(X.indptr[1]!, X.indptr[2]!)]).toEqual([...r1.indices]);
  });

  it('prunes one-document n-grams when the counting table passes its bound', () => {
    const many = Array.from({ length: 50 }, (_, i) => Int32Array.of(4 + (i % 6), 4));
    const { stats } = fitTfidf(many, V, { minDf: 2, maxCountedKeys: 3 });
    expect(stats.prunedKeys).toBeGreaterThan(0);
  });
});
