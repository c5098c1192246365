import { describe, expect, it } from 'vitest';
import { GradeTable } from '../mig/grades';
import { listLabels } from './l2r-lists';

// V = 10 tokens, 3 labels: label 0 is evidenced by token 5, label 1 by token 6, label 2 by token 7.
const table = new GradeTable(10, [
  { tokens: Int32Array.of(5), grades: Uint8Array.of(90), floor: 1 },
  { tokens: Int32Array.of(6), grades: Uint8Array.of(80), floor: 1 },
  { tokens: Int32Array.of(7, 8), grades: Uint8Array.of(60, 20), floor: 1 },
]);

describe('listLabels', () => {
  it('keeps gold labels and adds labels whose evidence tokens the document holds, rarest first', () => {
    const docs = [Int32Array.of(4, 5, 6, 7), Int32Array.of(8, 9)];
    const lists = listLabels(docs, [[0], []], table, [10, 1, 3], 3);
    expect(Array.from(lists[0]!)).toEqual([0, 1, 2]); // gold 0, then 1 (freq 1) before 2 (freq 3)
    expect(Array.from(lists[1]!)).toEqual([]); // token 8 has grade 20 < 50: not evidence
  });

  it('stops at maxPerDoc and never drops a gold label', () => {
    const lists = listLabels([Int32Array.of(5, 6, 7)], [[2]], table, [10, 1, 3], 2);
    expect(Array.from(lists[0]!)).toEqual([2, 1]);
  });
});
