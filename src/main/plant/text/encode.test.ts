import { describe, expect, it } from 'vitest';
import { chunkCorpus, chunkStarts, encodeText, encodeTokens, maxOverChunks, padBatch } from './encode';
import { DEFAULT_TOKENIZER_SETTINGS } from './tokenizer';
import { buildVocabulary, PAD_ID, UNK_ID } from './vocabulary';

const vocab = buildVocabulary([['fever', 'pain'], ['fever']], DEFAULT_TOKENIZER_SETTINGS, { minCount: 1 });
// ids: fever 4, pain 5

describe('encode', () => {
  it('maps known tokens to ids and unknown ones to <unk>', () => {
    expect(Array.from(encodeTokens(['pain', 'cough', 'fever'], vocab))).toEqual([5, UNK_ID, 4]);
  });

  it('encodeText keeps the original spans', () => {
    const e = encodeText('Fever, and PAIN.', vocab);
    expect(Array.from(e.ids)).toEqual([4, UNK_ID, 5]);
    expect(Array.from(e.startsUtf16)).toEqual([0, 7, 11]);
    expect(Array.from(e.endsUtf16)).toEqual([5, 10, 15]);
  });
});

describe('chunkStarts', () => {
  it('one window for short and empty documents', () => {
    expect(chunkStarts(0, { windowTokens: 4 })).toEqual([0]);
    expect(chunkStarts(4, { windowTokens: 4 })).toEqual([0]);
  });
  it('end-aligns the last window so every window is full', () => {
    expect(chunkStarts(10, { windowTokens: 4 })).toEqual([0, 4, 6]);
    expect(chunkStarts(8, { windowTokens: 4 })).toEqual([0, 4]);
    expect(chunkStarts(9, { windowTokens: 4 })).toEqual([0, 4, 5]);
  });
  it('overlap shortens the stride', () => {
    // stride 4 − 2 = 2: 0, 2, 4 then end-aligned 6 (= 10 − 4)
    expect(chunkStarts(10, { windowTokens: 4, overlapTokens: 2 })).toEqual([0, 2, 4, 6]);
  });
  it('maxChunksPerDoc keeps the first windows (1 = truncation)', () => {
    expect(chunkStarts(10, { windowTokens: 4, maxChunksPerDoc: 1 })).toEqual([0]);
    expect(chunkStarts(10, { windowTokens: 4, maxChunksPerDoc: 2 })).toEqual([0, 4]);
  });
  it('rejects bad window settings', () => {
    expect(() => chunkStarts(5, { windowTokens: 0 })).toThrow(/windowTokens/);
    expect(() => chunkStarts(5, { windowTokens: 4, overlapTokens: 4 })).toThrow(/overlapTokens/);
  });
});

describe('chunkCorpus / padBatch / maxOverChunks', () => {
  it('maps chunks back to documents and token offsets', () => {
    const docs = [Int32Array.from([1, 2, 3, 4, 5, 6]), new Int32Array(0), Int32Array.from([7, 8])];
    const c = chunkCorpus(docs, { windowTokens: 4 });
    expect(c.chunks.map((x) => Array.from(x))).toEqual([[1, 2, 3, 4], [3, 4, 5, 6], [], [7, 8]]);
    expect(Array.from(c.chunkDoc)).toEqual([0, 0, 1, 2]);
    expect(Array.from(c.chunkStartToken)).toEqual([0, 2, 0, 0]);
    expect(c.numDocs).toBe(3);
  });

  it('pads a batch row-major with <pad>', () => {
    const { ids, lengths } = padBatch([[4, 5], [6, 7, 8]], 3);
    expect(Array.from(ids)).toEqual([4, 5, PAD_ID, 6, 7, 8]);
    expect(Array.from(lengths)).toEqual([2, 3]);
    expect(() => padBatch([[1, 2, 3, 4]], 3)).toThrow(/T = 3/);
  });

  it('document score is the max over its chunks', () => {
    // 3 chunks × 2 labels; chunks 0,1 → doc 0, chunk 2 → doc 1
    const scores = Float32Array.from([0.1, 0.9, 0.5, -1, -2, 0.3]);
    const out = maxOverChunks(scores, 2, Int32Array.from([0, 0, 1]), 2);
    expect(Array.from(out)).toEqual([Math.fround(0.5), Math.fround(0.9), -2, Math.fround(0.3)]);
  });
});
