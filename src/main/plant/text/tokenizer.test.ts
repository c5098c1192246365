import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKENIZER_SETTINGS, parseTokenizerSettings, tokenize, tokenizeWithOffsets } from './tokenizer';
import type { TokenizerSettings } from './tokenizer';

const CLASS: TokenizerSettings = { ...DEFAULT_TOKENIZER_SETTINGS, numbers: 'class' };
const KEEP: TokenizerSettings = { ...DEFAULT_TOKENIZER_SETTINGS, numbers: 'keep' };

describe('tokenize', () => {
  it('lower-cases words and drops punctuation', () => {
    expect(tokenize('Hello, World! (EEC)')).toEqual(['hello', 'world', 'eec']);
  });

  it('keeps legal numbers as one shaped token', () => {
    expect(tokenize('Regulation (EEC) No 1234/85 of 1985')).toEqual(['regulation', 'eec', 'no', '0000/00', 'of', '0000']);
  });

  it('shapes clinical doses and ICD codes', () => {
    expect(tokenize('T81.4 infection; 5 mg, 0.25 ml, 24-48 h, 12:30')).toEqual([
      't00.0', 'infection', '0', 'mg', '0.00', 'ml', '00-00', 'h', '00:00',
    ]);
  });

  it('joins . , / : - only between two digits', () => {
    expect(tokenize('end.Next anti-inflammatory 1.a a.1 T81. 1,000')).toEqual([
      'end', 'next', 'anti', 'inflammatory', '0', 'a', 'a', '0', 't00', '0,000',
    ]);
  });

  it('cuts digit runs to maxDigitRun', () => {
    expect(tokenize('123456 12')).toEqual(['0000', '00']);
    expect(tokenize('123456', { ...DEFAULT_TOKENIZER_SETTINGS, maxDigitRun: 2 })).toEqual(['00']);
  });

  it("numbers: 'class' maps purely numeric tokens to <num>, mixed ones to their shape", () => {
    expect(tokenize('No 1234/85, T81.4, 5mg', CLASS)).toEqual(['no', '<num>', 't00.0', '0mg']);
  });

  it("numbers: 'keep' leaves digits alone", () => {
    expect(tokenize('T81.4 1234/85', KEEP)).toEqual(['t81.4', '1234/85']);
  });

  it('applies NFKC (full-width, ligatures, superscripts, combining marks)', () => {
    expect(tokenize('Ｃafé ﬁnal x² cafe\u0301 ＥＵ')).toEqual(['café', 'final', 'x0', 'café', 'eu']);
  });

  it('handles accents, astral letters and drops emoji', () => {
    expect(tokenize('Niño ÁRBOL 𝐀bc a😀b')).toEqual(['niño', 'árbol', 'abc', 'a', 'b']);
  });

  it('returns nothing for empty or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ,;:!? -- ')).toEqual([]);
  });
});

describe('tokenizeWithOffsets', () => {
  it('gives UTF-16 spans in the original text', () => {
    const r = tokenizeWithOffsets('Hello, T81.4!');
    expect(r.tokens).toEqual(['hello', 't00.0']);
    expect(Array.from(r.startsUtf16)).toEqual([0, 7]);
    expect(Array.from(r.endsUtf16)).toEqual([5, 12]);
  });

  it('keeps offsets right when lower-casing changes the length ("İ") and for astral letters', () => {
    // 'İ'.toLowerCase() is two code units, so the whole-text fast path must not be used.
    const text = 'İstanbul x 𝐀b';
    const r = tokenizeWithOffsets(text);
    expect(r.tokens).toEqual(['i̇stanbul', 'x', 'ab']);
    expect(Array.from(r.startsUtf16)).toEqual([0, 9, 11]);
    expect(Array.from(r.endsUtf16)).toEqual([8, 10, 14]);
    expect(text.slice(11, 14)).toBe('𝐀b');
  });

  const alphabet = ['a', 'B', 'é', 'Ñ', '1', '9', '.', ',', '/', '-', ':', ' ', '\n', '(', "'", 'ﬁ', '²', '𝐀', '😀'];
  const textArb = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((cs) => cs.join(''));

  it('property: spans are ordered, disjoint, and re-tokenising a span gives its token', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const r = tokenizeWithOffsets(text);
        expect(r.tokens).toEqual(tokenize(text));
        let prevEnd = 0;
        r.tokens.forEach((token, i) => {
          const start = r.startsUtf16[i]!;
          const end = r.endsUtf16[i]!;
          expect(start).toBeGreaterThanOrEqual(prevEnd);
          expect(end).toBeGreaterThan(start);
          expect(tokenize(text.slice(start, end))).toEqual([token]);
          prevEnd = end;
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseTokenizerSettings', () => {
  it('accepts the defaults and rejects bad values with the field name', () => {
    expect(parseTokenizerSettings(JSON.parse(JSON.stringify(DEFAULT_TOKENIZER_SETTINGS)))).toEqual(DEFAULT_TOKENIZER_SETTINGS);
    expect(() => parseTokenizerSettings({ version: 1, numbers: 'round', maxDigitRun: 4 })).toThrow(/numbers/);
    expect(() => parseTokenizerSettings({ version: 1, numbers: 'shape', maxDigitRun: 0 })).toThrow(/maxDigitRun/);
    expect(() => parseTokenizerSettings({ version: 2, numbers: 'shape', maxDigitRun: 4 })).toThrow(/version/);
  });
});
