// How sure is a difference between two systems of one cell? Refits each system's fusion from its
// dump exactly as the pipeline does (bench/experiments/fusion-replay.ts, row "pipeline"), then
// resamples the evaluation documents with replacement, the same documents for both systems, and
// reports the difference of each metric with a 95 % interval and how often A comes out ahead.
//   npx tsx bench/experiments/paired-bootstrap.ts <A.v8> <B.v8> [resamples] [--b-without-attention-rank]
// With the flag, B's fusion is fitted without the attention's rank (the fusion before 2026-12-04),
// so one dump given twice measures that feature.
import { bucketThresholds, evaluateDetailed } from '../../src/main/eval';
import { denseProbabilities, fitFusion, fuse, type ScoredCandidates } from '../../src/main/fusion/fusion';
import { readFusionDump, type FusionDump, type FusionDumpHalf } from '../fusion-dump';
import { Rng } from '../../src/main/engine/rng';
import type { Thresholds } from '../../src/main/eval/thresholds';


const bWithoutRank = process.argv.includes('--b-without-attention-rank');
const [fileA, fileB, resamplesArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!fileA || !fileB) throw new Error('usage: paired-bootstrap.ts <A.v8> <B.v8> [resamples]');
const resamples = Number(resamplesArg ?? 1000);

/** The pipeline's fused probabilities of the evaluation half and the thresholds tuned on the tuning half. */
function pipelineOf(d: FusionDump, withAttentionRank = true): { probs: Float32Array[]; thresholds: Thresholds } {
  const scored = (h: FusionDumpHalf): ScoredCandidates[] => h.candidates.map((c, i) => ({ candidates: c, attention: h.attention[i]! }));
  const fit = fitFusion(scored(d.tuning), d.tuning.gold, d.trainFreq, true, { ...(d.fusion.noAttention ? { noAttention: d.fusion.noAttention } : {}), withNeighbours: Boolean(d.fusion.withNeighbours), ...(withAttentionRank ? {} : { withAttentionRank: false }) });
  const dense = (docs: ScoredCandidates[]): Float32Array[] => docs.map((s) => denseProbabilities(d.numLabels, s.candidates.labels, fuse(fit, s, d.trainFreq)));
  return { probs: dense(scored(d.evaluation)), thresholds: bucketThresholds(dense(scored(d.tuning)), d.tuning.gold, d.trainFreq) };
}

const [a, b] = [fileA, fileB].map((f) => readFusionDump(f)) as [FusionDump, FusionDump];
if (a.evaluation.gold.length !== b.evaluation.gold.length || a.numLabels !== b.numLabels) throw new Error('the dumps are not of the same cell');
const [pa, pb] = [pipelineOf(a), pipelineOf(b, !bWithoutRank)];
const metricsOf = (d: FusionDump, p: { probs: Float32Array[]; thresholds: Thresholds }, docs: readonly number[]): Record<string, number> => {
  const r = evaluateDetailed({ scores: docs.map((i) => p.probs[i]!), gold: docs.map((i) => d.evaluation.gold[i]!), numLabels: d.numLabels, trainFreq: d.trainFreq, numTrainDocs: d.numTrainDocs, thresholds: p.thresholds }).report;
  return { 'p@5': r['p@5'] ?? Number.NaN, micro_f1: r.micro_f1 ?? Number.NaN, few_macro_f1: r.buckets?.few?.macro_f1 ?? Number.NaN, few_p5: r.buckets?.few?.['p@5'] ?? Number.NaN };
};

const n = a.evaluation.gold.length;
const all = Array.from({ length: n }, (_, i) => i);
const observedA = metricsOf(a, pa, all);
const observedB = metricsOf(b, pb, all);
const diffs: Record<string, number[]> = {};
const rng = new Rng(1);
for (let r = 0; r < resamples; r++) {
  const docs = Array.from({ length: n }, () => Math.floor(rng.next() * n));
  const ma = metricsOf(a, pa, docs);
  const mb = metricsOf(b, pb, docs);
  for (const k of Object.keys(ma)) (diffs[k] ??= []).push(ma[k]! - mb[k]!);
}
const pct = (v: number): number => +(100 * v).toFixed(2);
for (const [k, ds] of Object.entries(diffs)) {
  const finite = ds.filter(Number.isFinite).sort((x, y) => x - y);
  const q = (p: number): number => finite[Math.min(finite.length - 1, Math.floor(p * finite.length))]!;
  console.log(JSON.stringify({ metric: k, a: pct(observedA[k]!), b: pct(observedB[k]!), diff: pct(observedA[k]! - observedB[k]!), ci95: [pct(q(0.025)), pct(q(0.975))], a_ahead: +(finite.filter((v) => v > 0).length / finite.length).toFixed(3), resamples: finite.length }));
}

// Diagnostic only (it looks at the evaluation half's gold): the few-shot bucket's macro-F1 at the
// best single few-bucket threshold, to tell a worse ranking of rare labels from a worse threshold.
const fewBest = (d: FusionDump, p: { probs: Float32Array[]; thresholds: Thresholds }): { tuned: number; best: number; at: number } => {
  const few = (l: number): boolean => (d.trainFreq[l] ?? 0) >= 1 && (d.trainFreq[l] ?? 0) <= 5;
  const base = p.thresholds.perLabel ?? new Float64Array(d.numLabels).fill(p.thresholds.global);
  let best = { f1: -1, at: 0 };
  for (let t = 0.01; t < 1; t += 0.01) {
    const perLabel = Float64Array.from(base, (v, l) => (few(l) ? t : v));
    const r = evaluateDetailed({ scores: p.probs, gold: d.evaluation.gold, numLabels: d.numLabels, trainFreq: d.trainFreq, numTrainDocs: d.numTrainDocs, thresholds: { global: p.thresholds.global, perLabel } }).report;
    const f1 = r.buckets?.few?.macro_f1 ?? -1;
    if (f1 > best.f1) best = { f1, at: t };
  }
  const fewLabel = Array.from({ length: d.numLabels }, (_, l) => l).find(few);
  return { tuned: fewLabel === undefined ? Number.NaN : +base[fewLabel]!.toFixed(3), best: pct(best.f1), at: +best.at.toFixed(2) };
};
console.log(JSON.stringify({ diagnostic: 'few-shot macro-F1 at the best few-bucket threshold on the evaluation half', a: fewBest(a, pa), b: fewBest(b, pb) }));
