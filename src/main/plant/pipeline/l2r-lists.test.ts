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

  it('gives extra lists to the labels with the fewest lists so far, then the rarest', () => {
    // Both documents hold the evidence of labels 0, 1 and 2; one extra list each.
    const lists = listLabels([Int32Array.of(5, 6, 7), Int32Array.of(5, 6, 7)], [[], []], table, [10, 1, 3], 1);
    expect(lists.map((l) => Array.from(l))).toEqual([[1], [2]]); // label 1 already has one when the second document chooses
  });

  it("counts every document's gold lists before choosing extras", () => {
    // The second document's gold list for label 1 is counted first, so the first document's
    // extra list goes to label 0 although label 1 is rarer.
    const lists = listLabels([Int32Array.of(5, 6), Int32Array.of(9)], [[], [1]], table, [10, 1, 3], 1);
    expect(lists.map((l) => Array.from(l))).toEqual([[0], [1]]);
  });

  it('stops at maxPerDoc and never drops a gold label', () => {
    const lists = listLabels([Int32Array.of(5, 6, 7)], [[2]], table, [10, 1, 3], 2);
    expect(Array.from(lists[0]!)).toEqual([2, 1]);
  });
});
