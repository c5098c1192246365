// `npx tsx bench/lexical-scale.ts [--size 45000] [--structure auto|flat|tree]`: the lexical ranker
// alone on an EURLEX57K cell of the quality bench (same subsample, same evaluation half), with the
// pipeline's default settings: time for the features and the linear models, lexical.bin's size,
// peak memory, and ranking quality (P@1, P@5 of the ranker's own order; no fusion, no threshold).
// Issue #13's targets at 45,000 documents: ≤ 5 min, lexical.bin ≤ 300 MB, P@5 within 1 point of
// TF-IDF + LinearSVC (71.0). Writes bench/results/lexical-scale-<cell>[-pool-idf][-<tag>].json.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { PlantSettings } from '../src/shared/contract';
import { encodeLexicalModel } from '../src/main/lexical/format';
import { LexicalScorer, type Candidates } from '../src/main/lexical/model';
import { postScore } from '../src/main/lexical/ranker';
import { buildNeighbourIndex, NeighbourSearch } from '../src/main/lexical/neighbours';
import { bucketMasks } from '../src/main/eval/buckets';
import { RankingSums } from '../src/main/eval/ranking';
import { spawnTsxLexicalWorker } from '../src/main/lexical/testing/tsx-worker';
import { trainLexical } from '../src/main/lexical/train-lexical';
import { rankerOptions } from '../src/main/plant/pipeline/lexical-stage';
import { buildEncodedCorpus } from '../src/main/plant/pipeline/tokenize-stage';
import { fusionStage } from '../src/main/plant/pipeline/fusion-stage';
import { loadCodiesp, loadEurlex } from './datasets';
import { SUBSET_SEED } from './quality-plan';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const size = Number(arg('size', '45000'));
// Stricter pruning thresholds to try on the trained model (weights below each set to 0 in place,
// ascending, so each row is the model pruned at that threshold): size against P@5.
const prunes = arg('prunes', '').split(',').filter(Boolean).map(Number).sort((a, b) => a - b);
const structure = arg('structure', 'auto');
// --ranker '{"eps":0.5,"maxIter":10}': solver options over the pipeline's (what a default change would do).
const rankerOverrides = JSON.parse(arg('ranker', '{}')) as Record<string, unknown>;
const tag = arg('tag', '');
const THREADS = 2;
const ROOT = resolve(import.meta.dirname, '..');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const load0 = loadavg();
const dataset = arg('dataset', 'eurlex57k');
const loaded = dataset === 'codiesp' ? await loadCodiesp({ pool: true }) : await loadEurlex(size, SUBSET_SEED);
const corpus = loaded;
// --settings '{"vocabMaxSize":200000}': PlantSettings over the defaults (vocabulary, TF-IDF).
const settingOverrides = JSON.parse(arg('settings', '{}')) as Record<string, unknown>;
// --numbers keep|shape|class: the tokenizer's number rule (default: the settings').
const numbersArg = arg('numbers', '');
const s = PlantSettings.parse({ threads: THREADS, ...settingOverrides, ...(numbersArg ? { numbers: numbersArg } : {}), ...(structure === 'auto' ? {} : { lexical: { ...(settingOverrides['lexical'] ?? {}), structure } }) });
// --idf pool|labelled: document frequencies over the unlabelled pool too, or from the labelled
// training documents only; default: what the settings say (idfFromPool, off).
const idfFrom = arg('idf', s.lexical.idfFromPool ? 'pool' : 'labelled');
const t0 = performance.now();
const encoded = buildEncodedCorpus(corpus, s);
const tokenizeS = (performance.now() - t0) / 1000;
const t1 = performance.now();
const r = await trainLexical(
  { vocab: encoded.vocab, train: encoded.train, trainLabels: corpus.train.map((d) => d.labels), unlabelled: idfFrom === 'labelled' ? [] : encoded.unlabelled, labels: corpus.labels },
  (() => {
    const o = rankerOptions(s);
    return { ...o, ranker: { ...o.ranker, ...rankerOverrides } };
  })(),
  { threads: THREADS, spawnWorker: spawnTsxLexicalWorker, onProgress: (phase, d, t) => process.stderr.write(`\r${phase} ${d}/${t}   `) },
);
const trainS = (performance.now() - t1) / 1000;
process.stderr.write('\n');
const bytes = encodeLexicalModel(r.model).length;
const scorer = new LexicalScorer(r.model, corpus.labels.length);
const evaluation = encoded.evaluation.map((ids) => scorer.vectorize(ids));
function rankingQuality(): { p1: number; p5: number; n: number } {
  let p1 = 0;
  let p5 = 0;
  let n = 0;
  evaluation.forEach((x, d) => {
    const gold = new Set(corpus.evaluation[d]!.labels);
    if (!gold.size) return;
    const top = Array.from(scorer.candidates(x, { beam: s.lexical.beam, shortlist: 5, zeroShot: 0 }).labels.subarray(0, 5));
    p1 += top.length && gold.has(top[0]!) ? 1 : 0;
    p5 += top.filter((l) => gold.has(l)).length / 5;
    n++;
  });
  return { p1, p5, n };
}
const pct = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : +(100 * v).toFixed(1));
/** Candidate i's log(parent^α × leaf): α 1 is the ranker's own order, α 0 the leaf model alone (ties by raw score). */
function pathExponentScore(c: Candidates, i: number, alpha: number): number {
  const leaf = postScore(r.model.ranker.loss, c.lexRaw[i]!);
  const parent = leaf > 0 ? c.lexScore[i]! / leaf : 0;
  return Math.log(Math.max(parent, 1e-30)) * alpha + Math.log(Math.max(leaf, 1e-30)) + 1e-9 * c.lexRaw[i]!;
}
// Diagnostic: the beam's 100 candidates re-ranked by parent^α × leaf score (α 1 is the ranker's
// own order, α 0 the leaf models alone): where the tree's order loses against one-vs-rest.
function pathExponentP5(alphas: number[]): Record<string, number> {
  const hits = alphas.map(() => 0);
  let n = 0;
  evaluation.forEach((x, d) => {
    const gold = new Set(corpus.evaluation[d]!.labels);
    if (!gold.size) return;
    const c = scorer.candidates(x, { beam: s.lexical.beam, shortlist: 100, zeroShot: 0 });
    alphas.forEach((a, ai) => {
      const order = Array.from(c.labels.keys()).map((i) => ({ l: c.labels[i]!, v: pathExponentScore(c, i, a) }));
      order.sort((p, q) => q.v - p.v);
      hits[ai]! += order.slice(0, 5).filter((o) => gold.has(o.l)).length / 5;
    });
    n++;
  });
  return Object.fromEntries(alphas.map((a, i) => [String(a), +(100 * (hits[i]! / n)).toFixed(1)]));
}
const pathExponent = r.stats.structure === 'tree' ? pathExponentP5([0, 0.25, 0.5, 1]) : {};
const t2 = performance.now();
const { p1, p5, n } = rankingQuality();
const inferMs = (performance.now() - t2) / encoded.evaluation.length;
const pruned = prunes.map((t) => {
  let kept = 0;
  for (const level of r.model.ranker.levels) {
    const w = level.weight;
    for (let i = 0; i < w.length; i++) {
      if (Math.abs(w[i]!) < t) w[i] = 0;
      else kept++;
    }
  }
  const q = rankingQuality();
  return { prune: t, entries: kept, approx_mb: +((kept * 8) / 2 ** 20).toFixed(1), p_at_1: +(100 * (q.p1 / q.n)).toFixed(1), p_at_5: +(100 * (q.p5 / q.n)).toFixed(1) };
});
// The ranker as Planter serves it: its shortlist re-ranked by the lexical-only fusion fitted on
// the tuning half (what the quality bench's "lexical ranker alone" row measures).
const trainFreq = new Int32Array(corpus.labels.length);
for (const d of corpus.train) for (const l of new Set(d.labels)) trainFreq[l]!++;
const shortlist = { beam: s.lexical.beam, shortlist: s.lexical.shortlist, zeroShot: s.lexical.zeroShot };
// --beams 20,50,100: the raw ranker's P@5 and few-shot P@5 (the quality bench's "few P@5": only labels
// with 1–5 training documents ranked) with a wider beam and the pipeline's shortlist: is the tree's
// beam what loses the rare labels that one-vs-rest finds?
const beams = arg('beams', '').split(',').filter(Boolean).map(Number);
const fewMask = bucketMasks(trainFreq).few;
// Plain P@k: every label weighs the same (RankingSums also computes PSP, which is not read here).
const unitPropensity = new Float64Array(corpus.labels.length).fill(1);
const byBeam = beams.map((beam) => {
  const all = new RankingSums(corpus.labels.length, unitPropensity);
  const few = new RankingSums(corpus.labels.length, unitPropensity, fewMask);
  const t = performance.now();
  evaluation.forEach((x, d) => {
    const c = scorer.candidates(x, { beam, shortlist: s.lexical.shortlist, zeroShot: 0 });
    const row = { labels: c.labels, scores: c.lexScore };
    const gold = Int32Array.from(new Set(corpus.evaluation[d]!.labels));
    all.add(row, gold);
    few.add(row, gold);
  });
  return { beam, p_at_5: pct(all.metrics().precision[5]), few_p_at_5: pct(few.metrics().precision[5]), few_docs: few.metrics().docs, ms_per_doc: +((performance.now() - t) / evaluation.length).toFixed(2) };
});
if (byBeam.length) console.error(JSON.stringify(byBeam));
// --few-paths 100,1000: for few-shot labels only, how many of a document's gold few-shot labels
// the shortlist holds (recall), and the few-shot P@5 when the shortlist is re-ranked by
// parent^α × leaf (α 0: the leaf models alone): is it the path through the tree or the leaf
// models that ranks rare labels below one-vs-rest?
const fewPaths = arg('few-paths', '').split(',').filter(Boolean).map(Number).map((size) => {
  const alphas = [0, 0.5, 1];
  const sums = alphas.map(() => new RankingSums(corpus.labels.length, unitPropensity, fewMask));
  let found = 0;
  let gold = 0;
  evaluation.forEach((x, d) => {
    const goldFew = Int32Array.from(new Set(corpus.evaluation[d]!.labels.filter((l) => fewMask[l] === 1)));
    if (!goldFew.length) return;
    const c = scorer.candidates(x, { beam: Math.max(s.lexical.beam, 100), shortlist: size, zeroShot: 0 });
    const inList = new Set(c.labels);
    gold += goldFew.length;
    found += goldFew.filter((l) => inList.has(l)).length;
    alphas.forEach((a, ai) => {
      const scores = Float32Array.from(c.labels, (_, i) => pathExponentScore(c, i, a));
      sums[ai]!.add({ labels: c.labels, scores }, goldFew);
    });
  });
  return { shortlist: size, few_recall: pct(found / gold), few_p_at_5_by_path_exponent: Object.fromEntries(alphas.map((a, i) => [String(a), pct(sums[i]!.metrics().precision[5])])) };
});
if (fewPaths.length) console.error(JSON.stringify(fewPaths));
const t3 = performance.now();
const fused = await fusionStage(
  {
    numLabels: corpus.labels.length,
    trainFreq,
    numTrainDocs: corpus.train.length,
    tuning: { ids: encoded.tuning, docs: corpus.tuning, candidates: encoded.tuning.map((ids) => scorer.candidates(scorer.vectorize(ids), shortlist)) },
    evaluation: { ids: encoded.evaluation, docs: corpus.evaluation, candidates: evaluation.map((x) => scorer.candidates(x, shortlist)) },
  },
  { workDir: tmpdir() },
);
const fusedS = (performance.now() - t3) / 1000;
// --rare-slots 20,50: the served shortlist plus the R few-shot labels (1–5 training documents) with
// the best leaf scores among the beam's next 900 candidates, fused as the pipeline fuses (the fusion
// has a few×lex_raw feature): does giving rare labels a place in the shortlist lift few-shot P@5?
const rareSlots = arg('rare-slots', '').split(',').filter(Boolean).map(Number);
const withRareSlots = (c: Candidates, extra: number): Candidates => {
  let ranked = 0;
  while (ranked < c.labels.length && Number.isFinite(c.lexRaw[ranked]!)) ranked++;
  const base = Math.min(s.lexical.shortlist, ranked);
  const rare = Array.from({ length: ranked - base }, (_, i) => base + i)
    .filter((i) => fewMask[c.labels[i]!] === 1)
    .sort((a, b) => c.lexRaw[b]! - c.lexRaw[a]!)
    .slice(0, extra);
  const keep = [...Array.from({ length: base }, (_, i) => i), ...rare, ...Array.from({ length: c.labels.length - ranked }, (_, i) => ranked + i)];
  return { labels: Int32Array.from(keep, (i) => c.labels[i]!), lexScore: Float32Array.from(keep, (i) => c.lexScore[i]!), lexRaw: Float32Array.from(keep, (i) => c.lexRaw[i]!), desc: Float32Array.from(keep, (i) => c.desc[i]!) };
};
const rareSlotRuns: Record<string, unknown>[] = [];
if (rareSlots.length) {
  const wide = { ...shortlist, shortlist: s.lexical.shortlist + 900 };
  const tuningWide = encoded.tuning.map((ids) => scorer.candidates(scorer.vectorize(ids), wide));
  const evaluationWide = evaluation.map((x) => scorer.candidates(x, wide));
  for (const extra of [0, ...rareSlots]) {
    const f = await fusionStage(
      {
        numLabels: corpus.labels.length,
        trainFreq,
        numTrainDocs: corpus.train.length,
        tuning: { ids: encoded.tuning, docs: corpus.tuning, candidates: tuningWide.map((c) => withRareSlots(c, extra)) },
        evaluation: { ids: encoded.evaluation, docs: corpus.evaluation, candidates: evaluationWide.map((c) => withRareSlots(c, extra)) },
      },
      { workDir: tmpdir() },
    );
    const m = f.report;
    rareSlotRuns.push({ rare_slots: extra, p_at_1: pct(m?.['p@1']), p_at_5: pct(m?.['p@5']), ndcg_at_5: pct(m?.['ndcg@5']), micro_f1: pct(m?.micro_f1), few_p_at_5: pct(m?.buckets.few['p@5']), few_macro_f1: pct(m?.buckets.few.macro_f1) });
    console.error(JSON.stringify(rareSlotRuns.at(-1)));
  }
}
// --knn 10,25,50 [--knn-extra 20] [--knn-keep 96] [--knn-query 64]: the served shortlist plus the
// votes of the k nearest training documents (TF-IDF cosine) as fusion features, and up to
// knn-extra voted labels the shortlist lacks: does a neighbour vote recover what the tree loses?
const knnKs = arg('knn', '').split(',').filter(Boolean).map(Number);
const knnRuns: Record<string, unknown>[] = [];
if (knnKs.length) {
  const tk = performance.now();
  // The trained model's own index unless another feature cut is asked for.
  const keepArg = arg('knn-keep', '');
  const index = r.model.neighbours && !keepArg ? r.model.neighbours : buildNeighbourIndex(r.X, corpus.train.map((d) => d.labels), { keep: Number(keepArg || '96') });
  const buildS = (performance.now() - tk) / 1000;
  const search = new NeighbourSearch(index);
  const extra = Number(arg('knn-extra', '20'));
  const tuningX = encoded.tuning.map((ids) => scorer.vectorize(ids));
  const tuningC = tuningX.map((x) => scorer.candidates(x, shortlist));
  const evaluationC = evaluation.map((x) => scorer.candidates(x, shortlist));
  for (const k of knnKs) {
    const q = { k, queryFeatures: Number(arg('knn-query', '64')) };
    const tq = performance.now();
    const tuningV = tuningX.map((x, i) => scorer.withVotes(x, tuningC[i]!, search.votes(x, q), extra));
    const evaluationV = evaluation.map((x, i) => scorer.withVotes(x, evaluationC[i]!, search.votes(x, q), extra));
    const queryMs = (performance.now() - tq) / (tuningX.length + evaluation.length);
    let found = 0;
    let gold = 0;
    evaluationV.forEach((c, d) => {
      const inList = new Set(c.labels);
      for (const l of new Set(corpus.evaluation[d]!.labels)) if (fewMask[l] === 1) {
        gold++;
        if (inList.has(l)) found++;
      }
    });
    const f = await fusionStage(
      {
        numLabels: corpus.labels.length,
        trainFreq,
        numTrainDocs: corpus.train.length,
        tuning: { ids: encoded.tuning, docs: corpus.tuning, candidates: tuningV },
        evaluation: { ids: encoded.evaluation, docs: corpus.evaluation, candidates: evaluationV },
        neighbours: true,
      },
      { workDir: tmpdir() },
    );
    const m = f.report;
    knnRuns.push({ k, extra, keep: Number(arg('knn-keep', '96')), query_features: q.queryFeatures, index_s: +buildS.toFixed(1), index_mb: +((index.postDoc.length * 8) / 2 ** 20).toFixed(1), query_ms: +queryMs.toFixed(2), few_recall: pct(found / Math.max(1, gold)), p_at_1: pct(m?.['p@1']), p_at_5: pct(m?.['p@5']), ndcg_at_5: pct(m?.['ndcg@5']), micro_f1: pct(m?.micro_f1), macro_f1: pct(m?.macro_f1), few_p_at_5: pct(m?.buckets.few['p@5']), few_macro_f1: pct(m?.buckets.few.macro_f1), ece: f.calibration?.ece == null ? null : +f.calibration.ece.toFixed(3), theta: Object.fromEntries(f.fusion.names.map((nm, i) => [nm, +f.fusion.theta[i]!.toFixed(3)])) });
    console.error(JSON.stringify({ ...knnRuns.at(-1), theta: undefined }));
  }
}
clearInterval(sampler);
const out = {
  cell: dataset === 'codiesp' ? `codiesp-${corpus.train.length}` : `eurlex57k-${size}`,
  idf_from: idfFrom,
  ranker_overrides: rankerOverrides,
  setting_overrides: settingOverrides,
  vocab_size: encoded.vocab.size,
  numbers: s.numbers,
  idf_docs: corpus.train.length + (idfFrom === 'labelled' ? 0 : corpus.unlabelled.length),
  structure: r.stats.structure,
  features: r.stats.features,
  nnz: r.stats.nnz,
  tokenize_s: +tokenizeS.toFixed(1),
  feature_s: +r.stats.featureSeconds.toFixed(1),
  ranker_s: +r.stats.rankerSeconds.toFixed(1),
  lexical_s: +trainS.toFixed(1),
  lexical_bin_mb: +(bytes / 2 ** 20).toFixed(1),
  peak_rss_mb: Math.round(peakRss / 2 ** 20),
  evaluation_docs: n,
  p_at_1: +(100 * (p1 / n)).toFixed(1),
  p_at_5: +(100 * (p5 / n)).toFixed(1),
  rank_ms_per_doc: +inferMs.toFixed(2),
  p_at_5_by_path_exponent: pathExponent,
  by_beam: byBeam,
  few_paths: fewPaths,
  rare_slots: rareSlotRuns,
  knn: knnRuns,
  fused: { p_at_1: pct(fused.report?.['p@1']), p_at_5: pct(fused.report?.['p@5']), ndcg_at_5: pct(fused.report?.['ndcg@5']), micro_f1: pct(fused.report?.micro_f1), macro_f1: pct(fused.report?.macro_f1), few_p_at_5: pct(fused.report?.buckets.few['p@5']), few_macro_f1: pct(fused.report?.buckets.few.macro_f1), ece: fused.calibration?.ece == null ? null : +fused.calibration.ece.toFixed(3), seconds: +fusedS.toFixed(1) },
  pruned,
  stats: r.stats,
  machine: `${cpus()[0]?.model.trim()}, ${cpus().length} cores`,
  load_avg_start: load0.map((x) => +x.toFixed(2)),
  load_avg_end: loadavg().map((x) => +x.toFixed(2)),
  finished_at: new Date().toISOString(),
};
console.log(JSON.stringify({ ...out, stats: undefined }, null, 1));
writeFileSync(resolve(ROOT, `bench/results/lexical-scale-${out.cell}${idfFrom === 'pool' ? '-pool-idf' : ''}${tag ? `-${tag}` : ''}.json`), JSON.stringify(out, null, 1) + '\n');
process.exit(0);
