import { describe, expect, it } from 'vitest';
import { withCoderSpans } from './coder-spans';
import { segments } from './highlight';

describe('withCoderSpans', () => {
  it('cuts attention segments where coder spans start and end, keeping document offsets', () => {
    const text = 'dolor abdominal y fiebre';
    const attention = segments(text, [{ start: 6, end: 15, weight: 1 }]); // "abdominal"
    const pieces = withCoderSpans(attention, [{ id: 7, start: 0, end: 15, code: 'R10.9' }]);
    expect(pieces.map((p) => [p.start, p.text, p.weight, p.spanIds, p.endCodes])).toEqual([
      [0, 'dolor ', 0, [7], []],
      [6, 'abdominal', 1, [7], ['R10.9']],
      [15, ' y fiebre', 0, [], []],
    ]);
  });

  it('overlapping spans share a piece, and each tags where it ends', () => {
    const pieces = withCoderSpans(segments('abcdef', []), [
      { id: 1, start: 0, end: 4, code: 'A' },
      { id: 2, start: 2, end: 6, code: 'B' },
    ]);
    expect(pieces.map((p) => [p.text, p.spanIds, p.endCodes])).toEqual([
      ['ab', [1], []],
      ['cd', [1, 2], ['A']],
      ['ef', [2], ['B']],
    ]);
  });
});
