import { describe, expect, it } from 'vitest';
import { documentCases, evidenceAgreement, overlaps } from './evidence-agreement';

describe('evidence agreement', () => {
  it('ranges overlap when they share a character; touching ends do not', () => {
    expect(overlaps({ start: 0, end: 5 }, { start: 4, end: 9 })).toBe(true);
    expect(overlaps({ start: 0, end: 5 }, { start: 5, end: 9 })).toBe(false);
    expect(overlaps({ start: 3, end: 4 }, { start: 0, end: 10 })).toBe(true);
  });

  it('counts the cases whose model evidence overlaps a coder span (hand-computed: 2 of 4)', () => {
    const r = evidenceAgreement([
      { docId: 1, labelId: 7, model: [{ start: 10, end: 15 }], coder: [{ start: 12, end: 20 }] }, // overlaps
      { docId: 1, labelId: 8, model: [{ start: 0, end: 4 }, { start: 30, end: 36 }], coder: [{ start: 5, end: 9 }, { start: 35, end: 40 }] }, // the second pair overlaps
      { docId: 2, labelId: 7, model: [{ start: 0, end: 4 }], coder: [{ start: 4, end: 8 }] }, // touches only
      { docId: 3, labelId: 7, model: [], coder: [{ start: 0, end: 8 }] }, // no model evidence
    ]);
    expect(r).toEqual({ cases: 4, agreeing: 2, agreement: 0.5, withoutModelEvidence: 1 });
  });

  it('is null without cases', () => {
    expect(evidenceAgreement([])).toEqual({ cases: 0, agreeing: 0, agreement: null, withoutModelEvidence: 0 });
  });

  it('a document\'s cases are the gold labels in the top k that have coder spans; only they are explained', async () => {
    const asked: number[][] = [];
    const cases = await documentCases(
      5,
      new Set([1, 2, 3]),
      new Map([
        [1, [{ start: 0, end: 3 }]],
        [3, [{ start: 9, end: 12 }]],
        [4, [{ start: 9, end: 12 }]],
      ]),
      [4, 2, 1, 9], // 4 has spans but is not gold; 2 is gold without spans; 3 is gold with spans but not in the top k
      async (ids) => {
        asked.push([...ids]);
        return new Map([[1, [{ start: 1, end: 2 }]]]);
      },
    );
    expect(asked).toEqual([[1]]);
    expect(cases).toEqual([{ docId: 5, labelId: 1, model: [{ start: 1, end: 2 }], coder: [{ start: 0, end: 3 }] }]);
    expect(await documentCases(5, new Set([2]), new Map(), [2], async () => new Map())).toEqual([]);
  });
});
