import { describe, expect, it } from 'vitest';
import { flagPairs, flagText, goldSuspicion, labelThresholds, NO_TITLE_OVERLAP, rankDocuments, suspicion, type OofDoc } from './suspicion';

const doc = (gold: number[], goldScores: number[], predicted: number[] = [], predictedScores: number[] = []): OofDoc => ({
  gold: Int32Array.from(gold),
  goldScores: Float32Array.from(goldScores),
  predicted: Int32Array.from(predicted),
  predictedScores: Float32Array.from(predictedScores),
});

describe('label thresholds (confident learning, shrunk to the global mean)', () => {
  it('hand-computed: the plain mean without a prior, shrunk with one', () => {
    // label 0: scores 0.8, 0.4 (n = 2); label 1: 0.2 (n = 1); global mean (0.8 + 0.4 + 0.2) / 3 = 0.4667
    const docs = [doc([0, 1], [0.8, 0.2]), doc([0], [0.4])];
    const plain = labelThresholds(docs, 3, 0);
    expect(plain.global).toBeCloseTo(1.4 / 3, 6);
    expect(plain.perLabel[0]).toBeCloseTo(0.6, 6);
    expect(plain.perLabel[1]).toBeCloseTo(0.2, 6);
    expect(plain.perLabel[2]).toBeCloseTo(1.4 / 3, 6); // no gold pair: the global mean
    const shrunk = labelThresholds(docs, 3, 2);
    // (1.2 + 2 · 0.4667) / 4 = 0.5333; (0.2 + 0.9333) / 3 = 0.3778
    expect(shrunk.perLabel[0]).toBeCloseTo((1.2 + (2 * 1.4) / 3) / 4, 6);
    expect(shrunk.perLabel[1]).toBeCloseTo((0.2 + (2 * 1.4) / 3) / 3, 6);
  });

  it('pairs that could not be scored (NaN) count nowhere', () => {
    const t = labelThresholds([doc([0, 1], [0.6, Number.NaN])], 2, 0);
    expect(t.perLabel[0]).toBeCloseTo(0.6, 6);
    expect(t.perLabel[1]).toBeCloseTo(0.6, 6);
    expect(labelThresholds([], 1).global).toBe(0.5);
  });
});

describe('suspicion', () => {
  it('hand-computed on both sides of the threshold', () => {
    expect(suspicion('gold-low', 0.1, 0.4)).toBeCloseTo(0.75, 6); // 1 − 0.1/0.4
    expect(suspicion('gold-low', 0, 0.4)).toBe(1);
    expect(suspicion('gold-low', 0.5, 0.4)).toBe(0);
    expect(suspicion('missing', 0.85, 0.4)).toBeCloseTo(0.75, 6); // (0.85 − 0.4)/0.6
    expect(suspicion('missing', 0.3, 0.4)).toBe(0);
    expect(suspicion('missing', 1, 1)).toBe(0);
  });
});

describe('gold suspicion: three witnesses multiplied', () => {
  it('hand-computed', () => {
    expect(goldSuspicion(0.8, 0.25, 3, 4)).toBeCloseTo(0.8 * 0.75 * 0.75, 9);
    expect(goldSuspicion(0.8, 0, 4, 4)).toBeCloseTo(0.8, 9); // title unused, ranked last: the score's own suspicion
    expect(goldSuspicion(0.8, 1, 4, 4)).toBe(0); // every title word in the text
    expect(goldSuspicion(0.8, 0, 0, 4)).toBe(0); // the document's best-scored label
    expect(goldSuspicion(0.8, Number.NaN, 2, 4)).toBeCloseTo(0.8 * (1 - NO_TITLE_OVERLAP) * 0.5, 9); // no title words: neutral
    expect(goldSuspicion(0.8, 0, 0, 0)).toBeCloseTo(0.8, 9); // nothing to rank against: neutral
    expect(goldSuspicion(0.8, null, 1, 4)).toBeCloseTo(0.2, 9); // no title witness: factor 1
  });
});

describe('flagged pairs and documents', () => {
  it('flags a gold label scored far below its threshold and a confident missing prediction, with reasons', () => {
    const docs = [
      doc([0], [0.9]), // fine
      doc([0, 1], [0.02, 0.7], [2], [0.95]), // label 0 looks wrong; label 2 looks missing
      doc([0], [0.5], [1], [0.3]), // label 1 predicted but under its threshold
      doc([1], [0.7]),
    ];
    const t = labelThresholds(docs, 3, 0);
    // t0 = (0.9 + 0.02 + 0.5)/3 = 0.4733; t1 = 0.7; t2 = global = (0.9 + 0.02 + 0.7 + 0.5 + 0.7)/5 = 0.564
    const flags = flagPairs(docs, t);
    expect(flags.map((f) => [f.doc, f.label, f.kind])).toEqual([
      [1, 0, 'gold-low'], // (1 − 0.02/0.4733) · (no title witness: 1) · (2 of 2 above: 1) = 0.958
      [1, 2, 'missing'], // (0.95 − 0.564)/0.436 = 0.885
    ]);
    expect(flags[0]!.suspicion).toBeCloseTo(1 - 0.02 / (1.42 / 3), 5);
    expect(flags[1]!.suspicion).toBeCloseTo((0.95 - 0.564) / 0.436, 5);
    expect(flags[0]).toMatchObject({ rankAbove: 2, rankOf: 2, title: null });
    expect(flagText(flags[0]!)).toBe("gold but scored 0.02 vs threshold 0.47, below 2 of the document's 2 other labels");
    expect(flagText(flags[1]!)).toBe('predicted 0.95, not in gold (threshold 0.56)');
    const ranked = rankDocuments(flags);
    expect(ranked.map((d) => [d.doc, d.flags.length])).toEqual([[1, 2]]);
  });

  it('the title witness reorders two equally low gold labels: the one whose title the text does not use first', () => {
    const t = { perLabel: Float64Array.of(0.5, 0.5, 0.5), global: 0.5 };
    // doc 0: labels 0 and 1 both 0.1, below label 2's 0.9 (each has 1 of its 2 other labels above it)
    const docs = [doc([0, 1, 2], [0.1, 0.1, 0.9])];
    const titles = (_doc: number, label: number) => (label === 0 ? { shared: 3, words: 4 } : { shared: 0, words: 2 });
    const flags = flagPairs(docs, t, { titles });
    expect(flagPairs(docs, t, { titles, rank: false })[0]!.suspicion).toBeCloseTo(0.8, 6); // without the rank witness: r = 1
    expect(flags.map((f) => f.label)).toEqual([1, 0]);
    expect(flags[0]!.suspicion).toBeCloseTo(0.8 * 1 * 0.5, 6); // (1 − 0.1/0.5) · (1 − 0) · 1/2
    expect(flags[1]!.suspicion).toBeCloseTo(0.8 * 0.25 * 0.5, 6); // (1 − 3/4)
    expect(flagText(flags[0]!)).toBe("gold but scored 0.10 vs threshold 0.50, below 1 of the document's 2 other labels; its title shares none of its 2 words with the text");
    expect(flagText(flags[1]!)).toBe("gold but scored 0.10 vs threshold 0.50, below 1 of the document's 2 other labels; its title shares 3 of its 4 words with the text");
    expect(flagText({ kind: 'gold-low', score: 0.1, threshold: 0.5, title: { shared: 1, words: 1 }, rankAbove: 0, rankOf: 0 })).toBe("gold but scored 0.10 vs threshold 0.50; its title's one word is in the text");
    expect(flagText({ kind: 'gold-low', score: 0.1, threshold: 0.5, title: { shared: 0, words: 1 }, rankAbove: 0, rankOf: 0 })).toBe("gold but scored 0.10 vs threshold 0.50; its title's one word is not in the text");
  });

  it("a document's best-scored gold label is never flagged, however far below its label's threshold", () => {
    const t = { perLabel: Float64Array.of(0.9, 0.5), global: 0.7 };
    const flags = flagPairs([doc([0], [0.3], [1], [0.2])], t);
    expect(flags).toEqual([]);
  });

  it('orders ties by document then label, and documents by their worst pair, then by how many', () => {
    const t = { perLabel: Float64Array.of(0.5, 0.5, 0.5), global: 0.5 };
    const docs = [doc([1], [0.25], [2], [0.3]), doc([0, 1], [0.25, 0.25], [2], [0.3]), doc([0], [0.1], [2], [0.3])];
    const flags = flagPairs(docs, t);
    expect(flags.map((f) => [f.doc, f.label])).toEqual([
      [2, 0], // 0.8 · 1
      [0, 1], // 0.5 · 1
      [1, 0], // 0.5 · 1/2
      [1, 1],
    ]);
    expect(rankDocuments(flags).map((d) => d.doc)).toEqual([2, 0, 1]);
  });
});
