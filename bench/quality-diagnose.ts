// Why does PLANT (not) beat LANT and the peers on rare labels? Runs the pipeline's stages one by
// one on a quality-benchmark cell and measures, per training-frequency bucket, what each step does:
// the planted model before any fine-tuning, then PLANT and LANT after E fine-tuning epochs.
//   npx tsx bench/quality-diagnose.ts [codiesp|eurlex57k:1000] [--epochs 3,10,30] [key=value settings…]
// Prints one JSON line per variant and writes bench/results/diagnose-<cell>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PlantSettings } from '../src/shared/contract';
import { bucketOf, type Bucket } from '../src/main/eval';
import { createPredictor } from '../src/main/engine/inference/predictor';
import { classifierParams } from '../src/main/engine/models/classifier';
import { initParams, type Params } from '../src/main/engine/models/params';
import { trainFrequencies } from '../src/main/plant/pipeline/corpus';
import { finetuneStage } from '../src/main/plant/pipeline/finetune-stage';
import { computeGrades } from '../src/main/plant/pipeline/grades-stage';
import { heldOutNdcg } from '../src/main/plant/pipeline/l2r-monitor';
import { l2rStage } from '../src/main/plant/pipeline/l2r-stage';
import { classifierConfig, l2rConfig, L2R_BATCH } from '../src/main/plant/pipeline/model-config';
import { pretrainStage } from '../src/main/plant/pipeline/pretrain-stage';
import { scoreDocuments, withPredictor } from '../src/main/plant/pipeline/scoring';
import { StageStore } from '../src/main/plant/pipeline/stage-store';
import { buildEncodedCorpus, truncate } from '../src/main/plant/pipeline/tokenize-stage';
import { runKey, stageKeys } from '../src/main/plant/pipeline/train-plant';
import { evaluateScores } from './quality-eval';
import { FULL_CELLS, loadCell } from './quality-plan';

const argv = process.argv.slice(2);
const cellArg = argv.find((a) => !a.startsWith('--') && !a.includes('=')) ?? 'codiesp';
const epochsArg = argv.indexOf('--epochs') >= 0 ? argv[argv.indexOf('--epochs') + 1]! : '3,10,30';
const overrides: Record<string, unknown> = {};
for (const a of argv.filter((x) => x.includes('='))) {
  const [k, v] = a.split('=');
  overrides[k!] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
}
const [dataset, size] = cellArg.split(':');
const cell = FULL_CELLS.find((c) => c.dataset === dataset && (size === undefined || c.trainSize === Number(size)));
if (!cell) throw new Error(`unknown cell ${cellArg}`);
const log = (s: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

const corpus = await loadCell(cell);
const s = PlantSettings.parse({ threads: 2, ...overrides });
const L = corpus.labels.length;
const encoded = buildEncodedCorpus(corpus, s);
const V = encoded.vocab.size;
const workDir = join(process.env.PLANTER_QUALITY_WORK ?? join(tmpdir(), 'planter-quality-work'), `diagnose-${dataset}-${cell.trainSize}`);
const store = new StageStore(workDir, runKey(corpus, encoded.vocab.fingerprint), stageKeys(s));
const hooks = { workDir, onProgress: () => undefined };
const freq = trainFrequencies(corpus.train, L);
const bucket: Bucket[] = Array.from(freq, (f) => bucketOf(f));
log(`${cellArg}: ${corpus.train.length} train, ${L} labels, V ${V}`);

const encoder = await pretrainStage([...encoded.train, ...encoded.unlabelled], V, encoded.vocab.counts, s, store, hooks);
const grades = computeGrades(corpus, encoded.train, encoded.vocab);
log(`grades: ${JSON.stringify(grades.sources)}`);
const l2r = await l2rStage({ ids: encoded.train, docs: corpus.train }, encoded.unlabelled, { ids: encoded.tuning, docs: corpus.tuning }, grades.table, encoder, s, store, hooks);
log(`l2r NDCG@10 ${l2r.ndcg.map((v) => v?.toFixed(3)).join(' → ')}`);
const planted: Params = s.plantHead ? { ...l2r.params, 'cls.W': Float32Array.from(l2r.params['cls.U']!) } : l2r.params;
const config = classifierConfig(s, V, L);
const base = initParams(classifierParams(config), s.seed);

/** The L2R scorer's parameters (encoder and U): the classifier head is not part of that model. */
const l2rOnly = (p: Params): Params => Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith('enc.') || k === 'cls.U'));

// Held-out NDCG@10 of the L2R scorer per bucket (the gold labels of each tuning document in that bucket).
const ndcgByBucket: Partial<Record<Bucket, number | null>> = {};
for (const b of ['few', 'mid', 'head'] as Bucket[]) {
  const lc = l2rConfig(s, V, L);
  const docs = encoded.tuning.map((d) => truncate(d, L2R_BATCH.maxLen));
  const labels = corpus.tuning.map((d) => d.labels.filter((l) => bucket[l] === b));
  const before = await heldOutNdcg(lc, l2rOnly({ ...initParams(classifierParams(config), s.seed), ...encoder }), docs, labels, grades.table, { maxDocs: 300, threads: 2 });
  const after = await heldOutNdcg(lc, l2rOnly(l2r.params), docs, labels, grades.table, { maxDocs: 300, threads: 2 });
  ndcgByBucket[b] = after;
  log(`L2R held-out NDCG@10 on ${b} labels: random U ${before?.toFixed(3)} → planted U ${after?.toFixed(3)}`);
}

/** The label's 20 best tokens by grade (MIG, description or blend). */
const topTokens = (l: number): Set<number> => {
  const g = grades.table.label(l);
  const order = Array.from(g.tokens.keys()).sort((a, b) => g.grades[b]! - g.grades[a]!);
  return new Set(order.slice(0, 20).map((i) => g.tokens[i]!));
};

async function measure(name: string, params: Params): Promise<Record<string, unknown>> {
  const [tuning, evaluation] = await withPredictor(config, params, { threads: 2, maxLen: s.maxLen }, async (pr) => [
    await scoreDocuments(pr, encoded.tuning, L, { maxLen: s.maxLen }),
    await scoreDocuments(pr, encoded.evaluation, L, { maxLen: s.maxLen }),
  ]);
  const { report, threshold, detailed } = evaluateScores(corpus, tuning, evaluation);
  // Rank of each gold label among all L labels, by bucket.
  const ranks: Record<string, number[]> = { few: [], mid: [], head: [], zero: [] };
  evaluation.forEach((row, d) => {
    for (const l of new Set(corpus.evaluation[d]!.labels)) {
      let r = 1;
      for (let j = 0; j < L; j++) if (row[j]! > row[l]!) r++;
      ranks[bucket[l]!]!.push(r);
    }
  });
  const median = (a: number[]): number | null => (a.length ? [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]! : null);
  const b = params['cls.b']!;
  const meanBias = (k: Bucket): number => {
    let sum = 0;
    let n = 0;
    for (let l = 0; l < L; l++) {
      if (bucket[l] !== k) continue;
      sum += b[l]!;
      n++;
    }
    return n ? sum / n : NaN;
  };
  // Labels of the bucket predicted at least once on the evaluation half (at the tuned threshold).
  const predicted = (k: Bucket): string => {
    const rows = detailed.perLabel.filter((r) => r.bucket === k && r.support > 0);
    return `${rows.filter((r) => r.tp + r.fp > 0).length}/${rows.length}`;
  };
  // Attention of gold few-shot labels: share of the 8 most attended tokens among the label's 20 best-graded tokens.
  const predictor = await createPredictor({ config, params }, { threads: 2, maxLen: s.maxLen, evidenceK: 8 });
  let hits = 0;
  let looked = 0;
  let chance = 0;
  try {
    for (let d = 0; d < corpus.evaluation.length && looked < 400; d++) {
      const ids = truncate(encoded.evaluation[d]!, s.maxLen);
      const few = [...new Set(corpus.evaluation[d]!.labels)].filter((l) => bucket[l] === 'few');
      if (!few.length || !ids.length) continue;
      const ev = await predictor.explain(ids, few, 8);
      for (const e of ev) {
        const top = topTokens(e.label);
        const present = Array.from(ids).filter((t) => top.has(t)).length;
        if (present === 0) continue; // nothing of the label's vocabulary to attend to in this window
        hits += e.positions.filter((p) => top.has(ids[p]!)).length / e.positions.length;
        chance += present / ids.length;
        looked++;
      }
    }
  } finally {
    await predictor.dispose();
  }
  const out = {
    variant: name,
    'p@5': report['p@5'],
    micro_f1: report.micro_f1,
    macro_f1: report.macro_f1,
    few: { 'p@5': report.buckets.few['p@5'], macro_f1: report.buckets.few.macro_f1, median_rank: median(ranks.few!), predicted: predicted('few'), mean_bias: meanBias('few') },
    mid: { 'p@5': report.buckets.mid['p@5'], macro_f1: report.buckets.mid.macro_f1, median_rank: median(ranks.mid!), predicted: predicted('mid'), mean_bias: meanBias('mid') },
    head: { 'p@5': report.buckets.head['p@5'], macro_f1: report.buckets.head.macro_f1, median_rank: median(ranks.head!), mean_bias: meanBias('head') },
    zero: { 'p@5': report.buckets.zero['p@5'], median_rank: median(ranks.zero!) },
    threshold,
    few_attention_on_top_graded: looked ? { share: hits / looked, chance: chance / looked, pairs: looked } : null,
  };
  log(JSON.stringify(out));
  return out;
}

const results: Record<string, unknown>[] = [];
const plantedParams: Params = { ...base, ...planted };
results.push(await measure('planted, no fine-tuning', plantedParams));

// Per-label offsets of the planted logits. ApproxNDCG ranks one (document, label) list of tokens at
// a time, so it is blind to any per-label shift of h·u: nothing makes label A's logits comparable
// with label B's. Measure the spread of each label's mean logit over training documents against the
// spread within a label, and try the closed-form fix: b_l ← b_l − mean_d z_l + logit(prior_l).
{
  const trainScores = await withPredictor(config, plantedParams, { threads: 2, maxLen: s.maxLen }, (pr) => scoreDocuments(pr, encoded.train, L, { maxLen: s.maxLen }));
  const logit = (p: number): number => {
    const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
    return Math.log(q) - Math.log1p(-q);
  };
  const mean = new Float64Array(L);
  const sq = new Float64Array(L);
  for (const row of trainScores) {
    for (let l = 0; l < L; l++) {
      const z = logit(row[l]!);
      mean[l]! += z / trainScores.length; // l < L = mean.length = sq.length
      sq[l]! += (z * z) / trainScores.length;
    }
  }
  let across = 0;
  let m0 = 0;
  let within = 0;
  for (let l = 0; l < L; l++) m0 += mean[l]! / L;
  for (let l = 0; l < L; l++) {
    across += (mean[l]! - m0) ** 2 / L;
    within += Math.sqrt(Math.max(0, sq[l]! - mean[l]! ** 2)) / L;
  }
  log(`planted logits on train docs: std across labels of the per-label mean ${Math.sqrt(across).toFixed(3)}, mean within-label std ${within.toFixed(3)}`);
  const b = Float32Array.from(plantedParams['cls.b']!);
  const n = corpus.train.length;
  for (let l = 0; l < L; l++) b[l] = b[l]! - mean[l]! + logit((freq[l]! + 0.5) / (n + 1));
  const r = await measure('planted + per-label bias centred on train docs (no fine-tuning)', { ...plantedParams, 'cls.b': b });
  r.offsets = { across_label_std: Math.sqrt(across), within_label_std: within };
  results.push(r);
}
results.push(await measure('LANT start (pretrained encoder, random U/W)', { ...base, ...encoder }));
for (const e of epochsArg.split(',').map(Number)) {
  for (const kind of ['plant', 'lant'] as const) {
    const t0 = performance.now();
    const fine = await finetuneStage({ ids: encoded.train, docs: corpus.train }, { ids: encoded.tuning, docs: corpus.tuning }, kind === 'plant' ? planted : encoder, V, L, { ...s, plant: kind === 'plant' }, store, hooks, { epochs: e, stageName: `ft-${kind}-${e}` });
    log(`${kind} ${e} epochs fine-tuned in ${((performance.now() - t0) / 1000).toFixed(0)} s; curve p@5 ${fine.curve.map((c) => c.p5?.toFixed(3)).join(' ')}`);
    const r = await measure(`${kind.toUpperCase()} after ${e} fine-tuning epochs`, fine.params);
    // How far fine-tuning moved the planted queries of few-shot labels (cosine of U rows).
    if (kind === 'plant') {
      const u0 = planted['cls.U']!;
      const u1 = fine.params['cls.U']!;
      const d = s.dim;
      const cos: Record<string, number> = {};
      for (const k of ['few', 'mid', 'head'] as Bucket[]) {
        let sum = 0;
        let n = 0;
        for (let l = 0; l < L; l++) {
          if (bucket[l] !== k) continue;
          let dot = 0;
          let a = 0;
          let bb = 0;
          for (let i = 0; i < d; i++) {
            dot += u0[l * d + i]! * u1[l * d + i]!;
            a += u0[l * d + i]! ** 2;
            bb += u1[l * d + i]! ** 2;
          }
          sum += dot / Math.sqrt(a * bb + 1e-12);
          n++;
        }
        cos[k] = n ? sum / n : NaN;
      }
      r.u_cosine_planted_vs_final = cos;
      log(`U cosine planted→final ${JSON.stringify(cos)}`);
    }
    results.push(r);
  }
}
const outDir = resolve(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `diagnose-${dataset}-${cell.trainSize}.json`), JSON.stringify({ cell: cellArg, settings: s, l2r_ndcg10: l2r.ndcg, l2r_ndcg10_by_bucket: ndcgByBucket, grade_sources: grades.sources, results }, null, 1) + '\n');
