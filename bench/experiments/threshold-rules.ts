// Which decision rule for the training-frequency buckets holds up when a bucket has only a
// handful of tuning positives? Refits each dump's fusion as the pipeline does, then compares the
// bucket thresholds of `bucketThresholds` with variants, all tuned on the tuning half only.
//   npx tsx bench/experiments/threshold-rules.ts <dump.v8>…
import { BUCKETS, bucketOf, bucketThresholds, evaluateDetailed, ScoreMatrix, tuneGroupThresholds } from '../../src/main/eval';
import { denseProbabilities, fitFusion, fuse, type ScoredCandidates } from '../../src/main/fusion/fusion';
import { readFusionDump, type FusionDump, type FusionDumpHalf } from '../fusion-dump';
import { Rng } from '../../src/main/engine/rng';
import type { Thresholds } from '../../src/main/eval/thresholds';

function pipelineProbs(d: FusionDump): { tune: Float32Array[]; evaluation: Float32Array[] } {
  const scored = (h: FusionDumpHalf): ScoredCandidates[] => h.candidates.map((c, i) => ({ candidates: c, attention: h.attention[i]! }));
  const fit = fitFusion(scored(d.tuning), d.tuning.gold, d.trainFreq, true, { ...(d.fusion.noAttention ? { noAttention: d.fusion.noAttention } : {}), withNeighbours: Boolean(d.fusion.withNeighbours) });
  const dense = (docs: ScoredCandidates[]): Float32Array[] => docs.map((s) => denseProbabilities(d.numLabels, s.candidates.labels, fuse(fit, s, d.trainFreq)));
  return { tune: dense(scored(d.tuning)), evaluation: dense(scored(d.evaluation)) };
}

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (rule: string): boolean => !only || only.some((o) => rule.startsWith(o));
for (const file of files) {
  const d = readFusionDump(file);
  const L = d.numLabels;
  const groupOf = Int32Array.from({ length: L }, (_, l) => BUCKETS.indexOf(bucketOf(d.trainFreq[l]!)));
  const { tune, evaluation } = pipelineProbs(d);
  const support = new Int32Array(BUCKETS.length);
  for (const g of d.tuning.gold) for (const l of g) support[groupOf[l]!]!++;
  const groupThresholds = (t: Thresholds): number[] => BUCKETS.map((_, g) => { const l = groupOf.indexOf(g); return l < 0 ? Number.NaN : +t.perLabel![l]!.toFixed(3); });
  const score = (name: string, t: Thresholds): void => {
    const r = evaluateDetailed({ scores: evaluation, gold: d.evaluation.gold, numLabels: L, trainFreq: d.trainFreq, numTrainDocs: d.numTrainDocs, thresholds: t }).report;
    const pct = (v: number | null | undefined): number => +(100 * (v ?? Number.NaN)).toFixed(2);
    console.log(JSON.stringify({ dump: file.split('/').pop(), rule: name, micro_f1: pct(r.micro_f1), macro_f1: pct(r.macro_f1), few_macro_f1: pct(r.buckets?.few?.macro_f1), mid_macro_f1: pct(r.buckets?.mid?.macro_f1), global: +t.global.toFixed(3), groups: groupThresholds(t) }));
  };
  console.log(JSON.stringify({ dump: file.split('/').pop(), tuning_support: Object.fromEntries(BUCKETS.map((b, g) => [b, support[g]])) }));
  const base = bucketThresholds(tune, d.tuning.gold, d.trainFreq);
  score('pipeline', base);
  const withGroups = (f: (g: number, t: number, global: number) => number, from: Thresholds = base): Thresholds => {
    const per = new Float64Array(L);
    const gt = groupThresholds(from);
    for (let l = 0; l < L; l++) per[l] = f(groupOf[l]!, from.perLabel![l]!, from.global);
    void gt;
    return { global: from.global, perLabel: per };
  };
  if (want('shrink')) for (const N of [50, 100, 200, 400]) {
    score(`shrink-global sqrt N=${N}`, withGroups((g, t, gl) => { const w = Math.min(1, Math.sqrt(support[g]! / N)); return w * t + (1 - w) * gl; }));
  }
  // Bagging: the median over bootstrap resamples of the tuning documents of each group's threshold.
  const matrix = (idx: number[]): ScoreMatrix => new ScoreMatrix(idx.map((i) => tune[i]!), L);
  if (want('bagged')) for (const B of [25]) {
    const rng = new Rng(7);
    const n = tune.length;
    const perGroup: number[][] = BUCKETS.map(() => []);
    const globals: number[] = [];
    for (let b = 0; b < B; b++) {
      const idx = Array.from({ length: n }, () => Math.floor(rng.next() * n));
      const t = tuneGroupThresholds(matrix(idx), idx.map((i) => d.tuning.gold[i]!), groupOf, BUCKETS.length);
      globals.push(t.global);
      BUCKETS.forEach((_, g) => { const l = groupOf.indexOf(g); if (l >= 0) perGroup[g]!.push(t.perLabel![l]!); });
    }
    const med = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN; };
    const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
    score(`bagged median B=${B}`, { global: med(globals), perLabel: Float64Array.from(groupOf, (g) => med(perGroup[g]!)) });
    score(`bagged mean B=${B}`, { global: mean(globals), perLabel: Float64Array.from(groupOf, (g) => mean(perGroup[g]!)) });
  }
  // Band rule: per group, among cuts whose tuning micro-F1 is within δ of the group's best cut
  // (the others held fixed), the cut with the best tuning macro-F1 of the group's labels.
  const bandRule = (delta: number, from: Thresholds): Thresholds => {
    const per = Float64Array.from(from.perLabel!);
    const pairs = BUCKETS.map(() => [] as { l: number; s: number; gold: boolean }[]);
    for (let i = 0; i < tune.length; i++) {
      const row = tune[i]!;
      const g = new Set(d.tuning.gold[i]!);
      for (let l = 0; l < L; l++) if (row[l]! > 0 || g.has(l)) pairs[groupOf[l]!]!.push({ l, s: row[l]!, gold: g.has(l) });
    }
    let P = 0;
    for (const gg of d.tuning.gold) P += gg.length;
    for (let k = 0; k < BUCKETS.length; k++) {
      const ps = pairs[k]!;
      if (!ps.some((p) => p.gold)) continue;
      let tpO = 0, fpO = 0;
      for (let j = 0; j < BUCKETS.length; j++) if (j !== k) for (const p of pairs[j]!) if (p.s > 0 && p.s >= per[groupOf.indexOf(j)]!) { if (p.gold) tpO++; else fpO++; }
      const cuts = [...new Set(ps.filter((p) => p.gold && p.s > 0).map((p) => p.s))].sort((a, b) => b - a);
      const evalCut = (t: number): { micro: number; macro: number } => {
        let tp = 0, fp = 0;
        const lt = new Map<number, [number, number, number]>();
        for (const p of ps) {
          const c = lt.get(p.l) ?? [0, 0, 0];
          const on = p.s > 0 && p.s >= t;
          if (p.gold && on) { tp++; c[0]++; } else if (on) { fp++; c[1]++; } else if (p.gold) c[2]++;
          lt.set(p.l, c);
        }
        let m = 0, n = 0;
        for (const [tpl, fpl, fnl] of lt.values()) if (tpl + fnl > 0) { m += (2 * tpl) / (2 * tpl + fpl + fnl); n++; }
        return { micro: (2 * (tpO + tp)) / (tpO + tp + fpO + fp + P), macro: n ? m / n : 0 };
      };
      const step = Math.max(1, Math.floor(cuts.length / 300));
      const tried = cuts.filter((_, i) => i % step === 0).map((t) => ({ t, ...evalCut(t) }));
      const best = Math.max(...tried.map((x) => x.micro));
      const band = tried.filter((x) => x.micro >= best - delta);
      const pick = band.reduce((a, x) => (x.macro > a.macro ? x : a));
      for (let l = 0; l < L; l++) if (groupOf[l] === k) per[l] = pick.t * (1 - 1e-6);
    }
    return { global: from.global, perLabel: per };
  };
  if (want('band')) for (const delta of [0, 0.001, 0.0025, 0.005]) score(`band δ=${delta}`, bandRule(delta, base));
  // Cross-fitting: thresholds tuned on out-of-fold fused probabilities of the tuning half (the
  // fusion of each fold fitted on the other folds), so they see probabilities as unseen documents get them.
  if (want('cross')) for (const K of [5, 10]) {
    const scored = (h: FusionDumpHalf): ScoredCandidates[] => h.candidates.map((c, i) => ({ candidates: c, attention: h.attention[i]! }));
    const docs = scored(d.tuning);
    const oof: Float32Array[] = new Array(docs.length);
    for (let k = 0; k < K; k++) {
      const trainIdx = docs.map((_, i) => i).filter((i) => i % K !== k);
      const fit = fitFusion(trainIdx.map((i) => docs[i]!), trainIdx.map((i) => d.tuning.gold[i]!), d.trainFreq, true, { ...(d.fusion.noAttention ? { noAttention: d.fusion.noAttention } : {}), withNeighbours: Boolean(d.fusion.withNeighbours) });
      for (let i = k; i < docs.length; i += K) oof[i] = denseProbabilities(L, docs[i]!.candidates.labels, fuse(fit, docs[i]!, d.trainFreq));
    }
    score(`cross-fit K=${K}`, bucketThresholds(oof, d.tuning.gold, d.trainFreq));
  }
  // Diagnostic (reads evaluation gold): the few bucket's threshold swept.
  const fewG = BUCKETS.indexOf('few');
  if (want('diag')) for (const t of [0.05, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3]) score(`diag few=${t}`, withGroups((g, x) => (g === fewG ? t : x)));
}
