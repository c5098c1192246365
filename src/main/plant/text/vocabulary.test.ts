import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKENIZER_SETTINGS, tokenize } from './tokenizer';
import { buildVocabulary, countTokens, MASK_ID, NUM_ID, PAD_ID, UNK_ID, Vocabulary } from './vocabulary';

const S = DEFAULT_TOKENIZER_SETTINGS;

describe('buildVocabulary', () => {
  it('puts specials first, then count desc, ties by token string', () => {
    // document counts: a 2, b 2, c 2, d 1 → a, b, c tie at 2 and sort by string; d is below minCount 2.
    const v = buildVocabulary([['c', 'a', 'a'], ['a', 'b'], ['b', 'c'], ['d']], S);
    expect(v.tokens).toEqual(['<pad>', '<unk>', '<mask>', '<num>', 'a', 'b', 'c']);
    expect(Array.from(v.counts)).toEqual([0, 0, 0, 0, 2, 2, 2]);
    expect([v.idOf('<pad>'), v.idOf('<unk>'), v.idOf('<mask>'), v.idOf('<num>')]).toEqual([PAD_ID, UNK_ID, MASK_ID, NUM_ID]);
    expect(v.idOf('d')).toBe(UNK_ID);
    expect(v.idOf('zzz')).toBe(UNK_ID);
  });

  it('counts documents by default, occurrences on request', () => {
    const docs = [['b', 'b', 'b'], ['a'], ['a']];
    // documents: a 2, b 1 → a first; occurrences: b 3, a 2 → b first.
    expect(buildVocabulary(docs, S, { minCount: 1 }).tokens.slice(4)).toEqual(['a', 'b']);
    expect(buildVocabulary(docs, S, { minCount: 1, countBy: 'occurrences' }).tokens.slice(4)).toEqual(['b', 'a']);
    expect(countTokens(docs, 'occurrences').get('b')).toBe(3);
  });

  it('respects maxSize (specials included) and rejects one below the specials', () => {
    const v = buildVocabulary([['x', 'y', 'z'], ['x', 'y'], ['x']], S, { minCount: 1, maxSize: 6 });
    expect(v.tokens).toEqual(['<pad>', '<unk>', '<mask>', '<num>', 'x', 'y']);
    expect(() => buildVocabulary([], S, { maxSize: 3 })).toThrow(/maxSize/);
  });

  it("gives <num> its count under numbers: 'class' and never a second id", () => {
    const settings = { ...S, numbers: 'class' as const };
    const docs = ['No 12 and 13', 'page 7'].map((t) => tokenize(t, settings));
    const v = buildVocabulary(docs, settings, { minCount: 1 });
    expect(v.idOf('<num>')).toBe(NUM_ID);
    expect(v.counts[NUM_ID]).toBe(2);
    expect(v.tokens.filter((t) => t === '<num>')).toHaveLength(1);
  });

  it('orders ties by code unit, not locale ("Z" < "a" < "é")', () => {
    const v = buildVocabulary([['é', 'a', 'Z']], S, { minCount: 1 });
    expect(v.tokens.slice(4)).toEqual(['Z', 'a', 'é']);
  });
});

describe('Vocabulary JSON and fingerprint', () => {
  const v = buildVocabulary([['a', 'b'], ['a']], S, { minCount: 1 });

  it('round-trips through JSON with the tokenizer settings', () => {
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)));
    expect(back.tokens).toEqual(v.tokens);
    expect(Array.from(back.counts)).toEqual(Array.from(v.counts));
    expect(back.tokenizer).toEqual(S);
    expect(back.fingerprint).toBe(v.fingerprint);
    expect(v.fingerprint).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
  });

  it('fingerprint changes with token order and tokenizer settings, not with counts', () => {
    const swapped = new Vocabulary(['<pad>', '<unk>', '<mask>', '<num>', 'b', 'a'], new Int32Array(6), S, 'documents');
    const sameTokens = new Vocabulary([...v.tokens], new Int32Array(6).fill(9), S, 'documents');
    const otherSettings = new Vocabulary([...v.tokens], v.counts, { ...S, maxDigitRun: 3 }, 'documents');
    expect(swapped.fingerprint).not.toBe(v.fingerprint);
    expect(otherSettings.fingerprint).not.toBe(v.fingerprint);
    expect(sameTokens.fingerprint).toBe(v.fingerprint);
  });

  it('fingerprint changes with every tokenizer setting, a version bump included', () => {
    const changed = [{ ...S, numbers: 'class' as const }, { ...S, numbers: 'keep' as const }, { ...S, maxDigitRun: 5 }, { ...S, version: 2 as unknown as 1 }];
    const prints = changed.map((settings) => new Vocabulary([...v.tokens], v.counts, settings, 'documents').fingerprint);
    expect(new Set([v.fingerprint, ...prints]).size).toBe(changed.length + 1);
  });

  it('rejects an edited file whose fingerprint no longer matches', () => {
    const json = JSON.parse(JSON.stringify(v));
    json.tokens[4] = 'changed';
    expect(() => Vocabulary.fromJSON(json)).toThrow(/fingerprint/);
    expect(() => Vocabulary.fromJSON({ ...JSON.parse(JSON.stringify(v)), format: 'x' })).toThrow(/format/);
  });

  it('rejects vocabularies without the specials in place or with duplicates', () => {
    expect(() => new Vocabulary(['<unk>', '<pad>', '<mask>', '<num>'], new Int32Array(4), S, 'documents')).toThrow(/id 0/);
    expect(() => new Vocabulary([...v.tokens, 'a'], new Int32Array(7), S, 'documents')).toThrow(/twice/);
  });
});
