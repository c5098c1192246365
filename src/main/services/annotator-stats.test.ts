import { describe, expect, it } from 'vitest';
import type { DecisionRow } from '../store/annotator-stats-repo';
import { annotatorStats } from './annotator-stats';

const at = (minutes: number, seconds = 0): string => new Date(Date.UTC(2026, 2, 1, 10, minutes, seconds)).toISOString();
const row = (who: string | null, docId: number, action: string, when: string, extra: Partial<DecisionRow> = {}): DecisionRow => ({
  who,
  docId,
  action,
  score: null,
  batchId: null,
  createdAt: when,
  ...extra,
});

describe('annotatorStats', () => {
  it('hand-computed: time per document from gaps between decisions, breaks left out; acceptance of suggestions', () => {
    const log: DecisionRow[] = [
      row('Ana', 1, 'accept', at(0, 0), { score: 0.9 }), // first decision: no gap before it
      row('Ana', 1, 'reject', at(0, 30), { score: 0.6 }), // +30 s → doc 1
      row('Ben', 7, 'accept', at(0, 40), { score: 0.8 }), // Ben's own timeline: no gap
      row('Ana', 1, 'status', at(1, 0)), // +30 s → doc 1 (60 s)
      row('Ana', 2, 'accept', at(2, 30), { score: 0.7 }), // +90 s → doc 2
      row('Ana', 2, 'reject', at(2, 40)), // no score: the coder's own rejection, not of a suggestion; +10 s → doc 2 (100 s)
      row('Ana', 3, 'add', at(20, 0)), // +17 min 20 s: a break, nothing credited
      row('Ana', 3, 'status', at(20, 20)), // +20 s → doc 3
      // A bulk action: one decision point, credited to no document.
      row('Ana', 4, 'accept', at(21, 0), { score: 0.95, batchId: 1 }),
      row('Ana', 5, 'accept', at(21, 0), { score: 0.93, batchId: 1 }),
      row('Ana', 4, 'status', at(21, 30)), // +30 s after the batch → doc 4
    ];
    const [ana, ben] = annotatorStats(
      log,
      new Map([
        ['Ana', 3],
        ['Ben', 0],
      ]),
    );
    // Ana: docs 1 → 60 s, 2 → 100 s, 3 → 20 s, 4 → 30 s. Sorted 20, 30, 60, 100: median 45, mean 52.5.
    expect(ana).toEqual({
      annotator: 'Ana',
      decisions: 10,
      documentsDone: 3,
      timedDocuments: 4,
      medianSecondsPerDocument: 45,
      meanSecondsPerDocument: 52.5,
      // Accepted: two single accepts and two in the batch = 4; rejected suggestions: the one rejection with a score.
      acceptedSuggestions: 4,
      rejectedSuggestions: 1,
      acceptanceRate: 0.8,
      firstAt: at(0, 0),
      lastAt: at(21, 30),
    });
    expect(ben).toMatchObject({ annotator: 'Ben', decisions: 1, timedDocuments: 0, medianSecondsPerDocument: null, meanSecondsPerDocument: null, acceptanceRate: 1 });
  });

  it('lists decisions without a name last, and annotators who only have done documents', () => {
    const out = annotatorStats([row(null, 1, 'reject', at(0)), row('Zoe', 1, 'add', at(1))], new Map([['Al', 2]]));
    expect(out.map((s) => [s.annotator, s.decisions, s.documentsDone, s.acceptanceRate])).toEqual([
      ['Al', 0, 2, null],
      ['Zoe', 1, 0, null],
      [null, 1, 0, null],
    ]);
  });

  it('an odd number of timed documents takes the middle one as median', () => {
    const out = annotatorStats([row('A', 1, 'add', at(0, 0)), row('A', 1, 'add', at(0, 10)), row('A', 2, 'add', at(0, 40)), row('A', 3, 'add', at(1, 40))], new Map());
    // doc 1: 10 s, doc 2: 30 s, doc 3: 60 s.
    expect(out[0]).toMatchObject({ timedDocuments: 3, medianSecondsPerDocument: 30, meanSecondsPerDocument: 100 / 3 });
  });
});
