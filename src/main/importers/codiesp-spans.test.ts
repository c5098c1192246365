import { describe, expect, it } from 'vitest';
import type { PlanterError } from '../../shared/errors';
import { parseEvidenceLine, parseOffsets, piecesText } from './codiesp-spans';

describe('CodiEsp-X evidence lines', () => {
  it('reads continuous and discontinuous offsets, in the order the file gives them', () => {
    expect(parseOffsets('2163 2171')).toEqual([{ start: 2163, end: 2171 }]);
    expect(parseOffsets('1773 1782;222 228')).toEqual([
      { start: 1773, end: 1782 },
      { start: 222, end: 228 },
    ]);
    expect(parseOffsets('752 767;1320 1320;1320 1335')).toEqual([
      { start: 752, end: 767 },
      { start: 1320, end: 1320 },
      { start: 1320, end: 1335 },
    ]);
    expect(parseOffsets('7 3')).toBeNull();
    expect(parseOffsets('1 2;')).toBeNull();
    expect(parseOffsets('a b')).toBeNull();
  });

  it('joins the pieces of a discontinuous evidence with one space (an empty piece adds one more)', () => {
    const text = 'Se pautó Estreptomicina 1 g/día intramuscular.';
    //            0123456789012345678901234567890123456789
    expect(piecesText(text, [{ start: 9, end: 23 }, { start: 32, end: 45 }])).toBe('Estreptomicina intramuscular');
    expect(piecesText(text, [{ start: 9, end: 23 }, { start: 30, end: 30 }, { start: 32, end: 45 }])).toBe('Estreptomicina  intramuscular');
  });

  it('parses a real line of trainX.tsv', () => {
    expect(parseEvidenceLine('S0004-06142005000700014-1\tPROCEDIMIENTO\t3e02329\tEstreptomicina intramuscular\t2787 2801;2810 2823', 2, 'trainX.tsv')).toEqual({
      line: 2,
      extId: 'S0004-06142005000700014-1',
      type: 'PROCEDIMIENTO',
      code: '3e02329',
      text: 'Estreptomicina intramuscular',
      pieces: [
        { start: 2787, end: 2801 },
        { start: 2810, end: 2823 },
      ],
    });
  });

  it('names file, line and field of a bad line', () => {
    const fail = (line: string): PlanterError => {
      try {
        parseEvidenceLine(line, 7, 'x.tsv');
      } catch (e) {
        return e as PlanterError;
      }
      throw new Error('expected a bad-file error');
    };
    const offsets = fail('d1\tDIAGNOSTICO\tr52\tdolor\t12-17');
    expect(offsets.code).toBe('bad-file');
    expect(offsets.details).toEqual({ file: 'x.tsv', line: 7, field: 'offsets' });
    expect(offsets.message).toBe('x.tsv line 7: field "offsets" must be "start end" pairs separated by ";" with end not before start, found "12-17"');
    expect(fail('d1\tDIAGNOSTICO\t\tdolor\t12 17').details).toEqual({ file: 'x.tsv', line: 7, field: 'code' });
    expect(fail('d1\tDIAGNOSTICO\tr52\tdolor').message).toBe('x.tsv line 7: expected 5 tab-separated fields (doc, type, code, text, offsets), found 4');
  });
});
