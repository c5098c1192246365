// Replays the fusion stage offline on the inputs a quality run wrote (PLANTER_FUSION_DUMP=<prefix>
// npm run bench:quality …): fits fusion variants on the tuning half, tunes the bucket thresholds,
// and evaluates on the evaluation half exactly as the pipeline does, in seconds instead of a run.
//   npx tsx bench/experiments/fusion-replay.ts <dump.v8> [variant…]
// Without variants it runs them all; "pipeline" must reproduce the run's reported metrics.
import { bucketThresholds, evaluateDetailed } from '../../src/main/eval';
import { denseProbabilities, fitFusion, fuse, type ScoredCandidates } from '../../src/main/fusion/fusion';
import { fitLogistic, predictLogistic } from '../../src/main/fusion/logistic';
import type { Candidates } from '../../src/main/lexical/model';
import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { readFusionDump, type FusionDumpHalf } from '../fusion-dump';


const [file, ...wanted] = process.argv.slice(2);
if (!file) throw new Error('usage: fusion-replay.ts <dump.v8> [variant…]');
const dump = readFusionDump(file);
/** Optional second ranker's path score per candidate (bench/experiments/second-ranker.ts), for the "tree" variants. */
const treeSide = process.env.REPLAY_TREE ? (deserialize(readFileSync(process.env.REPLAY_TREE)) as { tuning: Float32Array[]; evaluation: Float32Array[] }) : null;
const treeOf = new WeakMap<Candidates, Float32Array>();
/** Per label: mean and deviation of its attention logits over the tuning half's candidates. */
const attStats = new Map<number, { mean: number; sd: number }>();
{
  const acc = new Map<number, number[]>();
  dump.tuning.candidates.forEach((c, i) => c.labels.forEach((l, j) => acc.set(l, [...(acc.get(l) ?? []), dump.tuning.attention[i]![j]!])));
  for (const [l, xs] of acc) {
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    attStats.set(l, { mean, sd: Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length) });
  }
}
const { numLabels: L, trainFreq, numTrainDocs } = dump;

/** Indices of a candidate list without the neighbours' added labels (unranked candidates the ranker has a model of). */
const keepIndex = (c: Candidates, extrasUpTo = 0): number[] => {
  const keep: number[] = [];
  for (let i = 0; i < c.labels.length; i++) if (Number.isFinite(c.lexRaw[i]!) || (trainFreq[c.labels[i]!] ?? 0) <= extrasUpTo) keep.push(i);
  return keep;
};
function subset(c: Candidates, keep: readonly number[], votes: boolean): Candidates {
  const f32 = (a: Float32Array): Float32Array => Float32Array.from(keep, (i) => a[i]!);
  return { labels: Int32Array.from(keep, (i) => c.labels[i]!), lexScore: f32(c.lexScore), lexRaw: f32(c.lexRaw), desc: f32(c.desc), ...(c.knn && votes ? { knn: f32(c.knn) } : {}) };
}

type Scored = ScoredCandidates;
/** extrasUpTo: keep the neighbours' added labels only up to this many training documents. */
const scoredOf = (h: FusionDumpHalf, o: { attention: boolean; extras: boolean; votes: boolean; extrasUpTo?: number }): Scored[] =>
  h.candidates.map((c, i) => {
    const keep = o.extras ? (o.extrasUpTo !== undefined ? keepIndex(c, o.extrasUpTo) : Array.from(c.labels, (_, j) => j)) : keepIndex(c);
    const candidates = subset(c, keep, o.votes);
    const tree = treeSide?.[h === dump.tuning ? 'tuning' : 'evaluation'][i];
    if (tree) treeOf.set(candidates, Float32Array.from(keep, (j) => tree[j]!));
    return { candidates, ...(o.attention ? { attention: Float32Array.from(keep, (j) => h.attention[i]![j]!) } : {}) };
  });

function evaluate(tuneProbs: Float32Array[], evalProbs: Float32Array[]): Record<string, number> {
  const thresholds = bucketThresholds(tuneProbs, dump.tuning.gold, trainFreq);
  const r = evaluateDetailed({ scores: evalProbs, gold: dump.evaluation.gold, numLabels: L, trainFreq, numTrainDocs, thresholds }).report;
  const few = r.buckets?.few;
  const pct = (v: number | null | undefined): number => +(100 * (v ?? Number.NaN)).toFixed(2);
  return { 'p@1': pct(r['p@1']), 'p@5': pct(r['p@5']), 'ndcg@5': pct(r['ndcg@5']), micro_f1: pct(r.micro_f1), few_macro_f1: pct(few?.macro_f1), few_p5: pct(few?.['p@5']) };
}

/** The pipeline's own fusion on chosen inputs. */
function standard(o: { attention: boolean; extras: boolean; votes: boolean; lambda?: number; extrasUpTo?: number }): Record<string, number> {
  const tune = scoredOf(dump.tuning, o);
  const ev = scoredOf(dump.evaluation, o);
  const fit = fitFusion(tune, dump.tuning.gold, trainFreq, o.attention, { ...(dump.fusion.noAttention ? { noAttention: dump.fusion.noAttention } : {}), withNeighbours: o.votes, ...(o.lambda !== undefined ? { lambda: o.lambda } : {}) });
  const dense = (docs: Scored[]): Float32Array[] => docs.map((d) => denseProbabilities(L, d.candidates.labels, fuse(fit, d, trainFreq)));
  return evaluate(dense(tune), dense(ev));
}

/**
 * The pipeline's fusion, then each label with at least `minPositives` tuning positives among its
 * candidate pairs recalibrated on its own: p = σ(a·z + b) over the fused log-odds z, (a, b) by
 * Newton's method with a pull of strength `prior` toward (1, 0) (per-label Platt scaling).
 */
function perLabelPlatt(minPositives: number, prior: number): Record<string, number> {
  const o = { attention: true, extras: true, votes: true };
  const tune = scoredOf(dump.tuning, o);
  const ev = scoredOf(dump.evaluation, o);
  const fit = fitFusion(tune, dump.tuning.gold, trainFreq, true, { ...(dump.fusion.noAttention ? { noAttention: dump.fusion.noAttention } : {}), withNeighbours: true });
  const logit = (p: number): number => Math.log(Math.max(p, 1e-7) / Math.max(1 - p, 1e-7));
  const pairs = new Map<number, { z: number[]; y: number[] }>();
  tune.forEach((d, k) => {
    const g = new Set(dump.tuning.gold[k]);
    if (!g.size) return;
    fuse(fit, d, trainFreq).forEach((p, i) => {
      const l = d.candidates.labels[i]!;
      const e = pairs.get(l) ?? { z: [], y: [] };
      e.z.push(logit(p));
      e.y.push(g.has(l) ? 1 : 0);
      pairs.set(l, e);
    });
  });
  const params = new Map<number, [number, number]>();
  for (const [l, { z, y }] of pairs) {
    if (y.reduce((a, v) => a + v, 0) < minPositives) continue;
    let a = 1, b = 0;
    for (let it = 0; it < 25; it++) {
      let ga = prior * (a - 1), gb = prior * b, haa = prior, hab = 0, hbb = prior;
      z.forEach((zi, i) => {
        const p = 1 / (1 + Math.exp(-(a * zi + b)));
        const r = p - y[i]!;
        const w = p * (1 - p);
        ga += r * zi; gb += r; haa += w * zi * zi; hab += w * zi; hbb += w;
      });
      const det = haa * hbb - hab * hab;
      if (!(det > 0)) break;
      a -= (hbb * ga - hab * gb) / det;
      b -= (haa * gb - hab * ga) / det;
    }
    params.set(l, [a, b]);
  }
  const dense = (docs: Scored[]): Float32Array[] => docs.map((d) => denseProbabilities(L, d.candidates.labels, fuse(fit, d, trainFreq).map((p, i) => { const ab = params.get(d.candidates.labels[i]!); return ab ? 1 / (1 + Math.exp(-(ab[0] * logit(p) + ab[1]))) : p; })));
  return { ...evaluate(dense(tune), dense(ev)), recalibrated: params.size };
}

/** A custom feature map over the same pairs (for feature-set experiments). */
interface PairView {
  raw: number;
  ranked: number;
  path: number;
  rank: number;
  desc: number;
  att: number;
  freq: number;
  knn: number;
  /** log1p of the attention logit's rank among the document's candidates (0 = highest). */
  attRank: number;
  /** The attention logit standardised by its label's mean and deviation over the tuning half's candidates. */
  attZ: number;
  /** The second ranker's log path score (log 1e-6 where it has no model of the label), with REPLAY_TREE. */
  tree: number;
  /** The document's context: its best and fifth-best ranker scores, how many are positive, its best attention logit. */
  docMaxRaw: number;
  docRaw5: number;
  docPositives: number;
  docMaxAtt: number;
}
type FeatureMap = (p: PairView) => number[];
function custom(features: FeatureMap, o: { attention: boolean; extras: boolean; votes: boolean; lambda?: number; topFit?: number; extrasUpTo?: number }): Record<string, number> {
  const tune = scoredOf(dump.tuning, o);
  const ev = scoredOf(dump.evaluation, o);
  const noAtt = new Set(dump.fusion.noAttention ?? []);
  const rows = (d: Scored): number[][] => {
    const c = d.candidates;
    let rank = 0;
    const raws = Array.from(c.lexRaw).filter(Number.isFinite).map((v) => Math.max(-4, Math.min(4, v))).sort((a, b) => b - a);
    const atts = o.attention && d.attention ? Array.from(d.attention, (v) => Math.max(-12, Math.min(12, v))) : [0];
    const doc = { docMaxRaw: raws[0] ?? 0, docRaw5: raws[Math.min(4, raws.length - 1)] ?? 0, docPositives: raws.filter((v) => v > 0).length, docMaxAtt: Math.max(...atts) };
    const tree = treeOf.get(c);
    const attOrder = Array.from(c.labels, (_, i) => i).sort((a, b) => (d.attention?.[b] ?? 0) - (d.attention?.[a] ?? 0));
    const attRankOf = new Int32Array(c.labels.length);
    attOrder.forEach((i, r) => (attRankOf[i] = r));
    return Array.from(c.labels, (l, i) => {
      const ranked = Number.isFinite(c.lexRaw[i]!) ? 1 : 0;
      const t = tree?.[i];
      const st = attStats.get(l);
      const a = d.attention?.[i] ?? 0;
      return features({ attRank: Math.log1p(attRankOf[i]!), attZ: st && st.sd > 1e-6 ? Math.max(-6, Math.min(6, (a - st.mean) / st.sd)) : 0, tree: t !== undefined && Number.isFinite(t) ? Math.log(Math.max(t, 1e-6)) : Math.log(1e-6), raw: ranked ? Math.max(-4, Math.min(4, c.lexRaw[i]!)) : 0, ranked, path: c.lexScore[i]!, rank: ranked ? rank++ : -1, desc: c.desc[i]!, att: o.attention && !noAtt.has(l) ? Math.max(-12, Math.min(12, d.attention?.[i] ?? 0)) : 0, freq: trainFreq[l] ?? 0, knn: c.knn?.[i] ?? 0, ...doc });
    });
  };
  const xs: number[] = [];
  const ys: number[] = [];
  let dim = 0;
  tune.forEach((d, k) => {
    const g = new Set(dump.tuning.gold[k]);
    if (!g.size) return;
    rows(d).forEach((r, i) => {
      if (o.topFit !== undefined && i >= o.topFit && Number.isFinite(d.candidates.lexRaw[i]!)) return;
      dim = r.length;
      xs.push(...r);
      ys.push(g.has(d.candidates.labels[i]!) ? 1 : 0);
    });
  });
  const fit = fitLogistic({ x: Float64Array.from(xs), d: dim, y: Uint8Array.from(ys) }, { lambda: o.lambda ?? 1 });
  const dense = (docs: Scored[]): Float32Array[] => docs.map((d) => denseProbabilities(L, d.candidates.labels, Float32Array.from(rows(d), (r) => predictLogistic(fit.theta, Float64Array.from(r)))));
  return evaluate(dense(tune), dense(ev));
}

const bucket = (f: number): [number, number, number] => [f === 0 ? 1 : 0, f >= 1 && f <= 5 ? 1 : 0, f >= 6 && f <= 50 ? 1 : 0];
/** features.ts, version 1 with the attention rank, written out again (the "custom-base" row must equal "pipeline"). */
const baseFeatures = (withAtt: boolean, votes: 'all' | 'rare' | 'none', attRank = true): FeatureMap => (p) => {
  const [zero, few, mid] = bucket(p.freq);
  const f = [1, p.raw, p.ranked, p.ranked ? Math.log(Math.max(p.path, 1e-6)) : Math.log(1e-6), p.ranked ? Math.log1p(p.rank) : Math.log1p(1000), p.desc, Math.log1p(p.freq), zero, few, mid, few * p.raw, mid * p.raw, zero * p.desc, few * p.desc];
  if (withAtt) f.push(p.att, zero * p.att, few * p.att, mid * p.att);
  if (votes === 'all') f.push(p.knn, Math.log(p.knn + 0.01), few * p.knn, mid * p.knn);
  if (votes === 'rare') f.push(few * p.knn, mid * p.knn, few * Math.log(p.knn + 0.01), mid * Math.log(p.knn + 0.01));
  if (withAtt && attRank) f.push(p.attRank, zero * p.attRank, few * p.attRank, mid * p.attRank);
  return f;
};

/** The base features plus frequency-scaled lexical and vote terms (a margin means more for a frequent label). */
const freqScaled = (votes: 'all' | 'rare'): FeatureMap => (p) => {
  const lf = Math.log1p(p.freq);
  return [...baseFeatures(true, votes)(p), lf * p.raw, lf * p.knn, p.raw * p.raw * p.ranked];
};

/** The base features plus the document's context: a score relative to the document's best and fifth best, and how many labels the ranker believes. */
const docRelative = (p: PairView): number[] => [p.ranked * (p.raw - p.docMaxRaw), p.ranked * (p.raw - p.docRaw5), Math.log1p(p.docPositives), p.att - p.docMaxAtt];
/** Piecewise-linear ranker score and vote (hinges), for a log-odds that is not linear in them. */
const hinges = (p: PairView): number[] => [...[-1, -0.5, 0, 0.5, 1].map((t) => p.ranked * Math.max(0, p.raw - t)), ...[0.1, 0.3, 0.6].map((t) => Math.max(0, p.knn - t))];
const withExtra = (...extra: ((p: PairView) => number[])[]): FeatureMap => (p) => [...baseFeatures(true, 'all')(p), ...extra.flatMap((e) => e(p))];

const variants: Record<string, () => Record<string, number>> = {
  pipeline: () => standard({ attention: true, extras: true, votes: true }),
  'custom-base': () => custom(baseFeatures(true, 'all'), { attention: true, extras: true, votes: true }),
  'no-votes': () => standard({ attention: true, extras: false, votes: false }),
  'votes-no-extras': () => standard({ attention: true, extras: false, votes: true }),
  'votes-rare-only': () => custom(baseFeatures(true, 'rare'), { attention: true, extras: true, votes: true }),
  'lexical-pipeline': () => standard({ attention: false, extras: true, votes: true }),
  'lexical-no-votes': () => standard({ attention: false, extras: false, votes: false }),
  'lambda-10': () => standard({ attention: true, extras: true, votes: true, lambda: 10 }),
  'lambda-0.1': () => standard({ attention: true, extras: true, votes: true, lambda: 0.1 }),
  'freq-scaled': () => custom(freqScaled('all'), { attention: true, extras: true, votes: true }),
  'freq-scaled-rare-votes': () => custom(freqScaled('rare'), { attention: true, extras: true, votes: true }),
  'extras-up-to-5': () => standard({ attention: true, extras: true, votes: true, extrasUpTo: 5 }),
  'extras-up-to-50': () => standard({ attention: true, extras: true, votes: true, extrasUpTo: 50 }),
  'lexical-extras-up-to-50': () => standard({ attention: false, extras: true, votes: true, extrasUpTo: 50 }),
  'attention-rare-only': () => custom((p) => { const f = baseFeatures(true, 'all')(p); const [zero, few, mid] = bucket(p.freq); f[14] = (zero + few + mid) * p.att; return f; }, { attention: true, extras: true, votes: true }),
  'doc-relative': () => custom(withExtra(docRelative), { attention: true, extras: true, votes: true }),
  hinges: () => custom(withExtra(hinges), { attention: true, extras: true, votes: true }),
  'doc-relative+hinges': () => custom(withExtra(docRelative, hinges), { attention: true, extras: true, votes: true }),
  'doc-relative+hinges+freq': () => custom(withExtra(docRelative, hinges, (p) => [Math.log1p(p.freq) * p.raw, Math.log1p(p.freq) * p.knn]), { attention: true, extras: true, votes: true }),
  'fit-top-20': () => custom(baseFeatures(true, 'all'), { attention: true, extras: true, votes: true, topFit: 20 }),
  'fit-top-50': () => custom(baseFeatures(true, 'all'), { attention: true, extras: true, votes: true, topFit: 50 }),
  'fit-top-30+rare-votes': () => custom(baseFeatures(true, 'rare'), { attention: true, extras: true, votes: true, topFit: 30 }),
  'fit-top-30+lambda-0.1': () => custom(baseFeatures(true, 'all'), { attention: true, extras: true, votes: true, topFit: 30, lambda: 0.1 }),
  // The second ranker (REPLAY_TREE): its log path score, alone and per bucket.
  tree: () => custom(withExtra((p) => [p.tree]), { attention: true, extras: true, votes: true }),
  'tree-buckets': () => custom(withExtra((p) => { const [zero, few, mid] = bucket(p.freq); return [p.tree, few * p.tree, mid * p.tree, zero * p.tree]; }), { attention: true, extras: true, votes: true }),
  'tree-no-votes': () => custom((p) => [...baseFeatures(true, 'none')(p), p.tree], { attention: true, extras: false, votes: false }),
  'lexical-tree': () => custom((p) => [...baseFeatures(false, 'all')(p), p.tree], { attention: false, extras: true, votes: true }),
  'per-label-platt-20': () => perLabelPlatt(20, 10),
  'per-label-platt-50': () => perLabelPlatt(50, 10),
  'per-label-platt-20-weak': () => perLabelPlatt(20, 1),
  // The fusion before the attention's rank was a feature (2026-12-04).
  'no-att-rank': () => custom(baseFeatures(true, 'all', false), { attention: true, extras: true, votes: true }),
  'att-z': () => custom(withExtra((p) => { const [zero, few, mid] = bucket(p.freq); return [p.attZ, few * p.attZ, mid * p.attZ, zero * p.attZ]; }), { attention: true, extras: true, votes: true }),
  'fit-top-30': () => custom(baseFeatures(true, 'all'), { attention: true, extras: true, votes: true, topFit: 30 }),
};

for (const name of wanted.length ? wanted : Object.keys(variants)) {
  const run = variants[name];
  if (!run) throw new Error(`unknown variant ${name}; known: ${Object.keys(variants).join(', ')}`);
  const t0 = performance.now();
  console.log(JSON.stringify({ variant: name, ...run(), s: +((performance.now() - t0) / 1000).toFixed(1) }));
}
