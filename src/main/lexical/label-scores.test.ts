import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { inlineRunner } from './group-runner';
import { LabelPathScorer } from './label-scores';
import { rankLabels } from './ranker';
import { CsrBuilder, normalizeRows, rowOf } from './sparse';
import { DEFAULT_RANKER_OPTIONS, groupOptions, trainRanker, type RankerOptions } from './train-ranker';

/** Label l's documents use features 3l … 3l + 2 plus a shared one; one label (11) has no documents. */
function corpus(): { X: ReturnType<CsrBuilder['build']>; labels: number[][] } {
  const rng = new Rng(4);
  const b = new CsrBuilder(40);
  const labels: number[][] = [];
  for (let l = 0; l < 11; l++) {
    for (let i = 0; i < 5; i++) {
      const feats = new Map<number, number>([[36, 0.4]]);
      for (let k = 0; k < 3; k++) feats.set(3 * l + rng.int(3), 1 + rng.next());
      const idx = [...feats.keys()].sort((x, y) => x - y);
      b.push(idx, idx.map((f) => feats.get(f)!));
      labels.push(i === 0 ? [l, (l + 1) % 11] : [l]);
    }
  }
  const X = b.build();
  normalizeRows(X);
  return { X, labels };
}

describe('LabelPathScorer', () => {
  for (const structure of ['flat', 'tree'] as const) {
    it(`gives every label the path score beam search gives it (${structure})`, async () => {
      const { X, labels } = corpus();
      const o: RankerOptions = { ...DEFAULT_RANKER_OPTIONS, threshold: 0, structure, leafSize: 3, branchBits: 1 };
      const { ranker } = await trainRanker(X, labels, 12, o, { runner: inlineRunner(X, groupOptions(o)) });
      if (structure === 'tree') expect(ranker.levels.length).toBeGreaterThan(1);
      const scorer = new LabelPathScorer(ranker, 12);
      expect(scorer.has(11)).toBe(false);
      for (const r of [0, 7, 31, 54]) {
        const x = rowOf(X, r);
        // A beam as wide as the catalogue reaches every label: its scores are the reference.
        const all = rankLabels(ranker, x, { beam: 64, topK: 64 });
        const mine = scorer.scores(x, all.labels);
        all.scores.forEach((s, i) => expect(mine[i]).toBeCloseTo(s, 6));
        expect(Number.isNaN(scorer.scores(x, [11])[0])).toBe(true);
      }
    });
  }

  it('scores a label outside a narrow beam (the case it exists for)', async () => {
    const { X, labels } = corpus();
    const o: RankerOptions = { ...DEFAULT_RANKER_OPTIONS, threshold: 0, structure: 'tree', leafSize: 3, branchBits: 1 };
    const { ranker } = await trainRanker(X, labels, 12, o, { runner: inlineRunner(X, groupOptions(o)) });
    const x = rowOf(X, 1); // a label-0 document
    const narrow = rankLabels(ranker, x, { beam: 1, topK: 2 });
    const wide = rankLabels(ranker, x, { beam: 64, topK: 64 });
    const outside = Array.from(wide.labels).filter((l) => !narrow.labels.includes(l));
    expect(outside.length).toBeGreaterThan(0);
    const s = new LabelPathScorer(ranker, 12).scores(x, outside);
    outside.forEach((l, i) => expect(s[i]).toBeCloseTo(wide.scores[Array.from(wide.labels).indexOf(l)]!, 6));
  });
});
