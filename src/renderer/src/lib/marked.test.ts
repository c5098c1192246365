import { describe, expect, it } from 'vitest';
import { MATCH_END as E, MATCH_START as S } from '../../../shared/contract';
import { markedParts } from './marked';

describe('markedParts', () => {
  it('cuts an excerpt into plain and matched parts, keeping brackets of the text as text', () => {
    expect(markedParts(`…biopsy of ${S}sarcoidosis${E} [sic] and ${S}lung${E}…`)).toEqual([
      { text: '…biopsy of ', match: false },
      { text: 'sarcoidosis', match: true },
      { text: ' [sic] and ', match: false },
      { text: 'lung', match: true },
      { text: '…', match: false },
    ]);
  });

  it('copes with unbalanced markers and plain text', () => {
    expect(markedParts('plain reason: E11.9')).toEqual([{ text: 'plain reason: E11.9', match: false }]);
    expect(markedParts(`a ${S}b`)).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
    ]);
    expect(markedParts(`a${E} b`)).toEqual([{ text: 'a b', match: false }]);
    expect(markedParts('')).toEqual([]);
  });
});
