// Planter's systems in the quality benchmark, trained by the product's own pipeline (trainPlant):
// one default training gives three rows — the fused model (`planter`), its lexical ranker alone
// (`lexical`) and its PLANT attention part alone (`plant`) — and the same training with
// `plant: false` gives `planter_lant` and `lant`.
import { mkdirSync, rmSync } from 'node:fs';
import type { PlantSettingsInput } from '../src/shared/contract';
import type { PlantCorpus } from '../src/main/plant/pipeline/corpus';
import { trainPlant } from '../src/main/plant/pipeline/train-plant';
import { writeFusionDump } from './fusion-dump';
import { scoreCandidates, scoreDocuments, withPredictor } from '../src/main/plant/pipeline/scoring';
import { denseProbabilities, fuse } from '../src/main/fusion/fusion';
import { spawnTsxLexicalWorker } from '../src/main/lexical/testing/tsx-worker';
import type { Candidates } from '../src/main/lexical/model';
import type { PlantModel } from '../src/main/plant/pipeline/model';
import { evaluateScores } from './quality-eval';
import { encodeLexicalModel } from '../src/main/lexical/format';
import type { SystemName, SystemResult } from './quality-plan';

export interface PlanterOptions {
  workDir: string;
  threads: number;
  log: (s: string) => void;
  /** Overrides of the default settings (the smoke run shrinks the model; the full run passes none). */
  overrides?: PlantSettingsInput;
  /** Path prefix: the fusion's inputs (candidates, attention logits, gold) are written there for offline replay. */
  fusionDump?: string;
}

/** Samples the process's resident memory (workers included: they share the process). */
function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
    },
  };
}

const stageSeconds = (m: PlantModel, stages: readonly string[]): number => m.stageTimings.filter((t) => stages.includes(t.stage)).reduce((a, t) => a + t.seconds, 0);

/**
 * Trains one Planter variant and scores the dev halves for each of its rows. The dev documents
 * are scored again here (timed as infer_s) and evaluated by the same code as the peers; each
 * pipeline report must agree with the bench's (checked, so a divergence in either path is caught).
 */
export async function runPlanter(corpus: PlantCorpus, variant: 'plant' | 'lant', o: PlanterOptions): Promise<Partial<Record<SystemName, SystemResult>>> {
  rmSync(o.workDir, { recursive: true, force: true });
  mkdirSync(o.workDir, { recursive: true });
  const settings: PlantSettingsInput = { ...o.overrides, threads: o.threads, plant: variant === 'plant' };
  let last = '';
  let lexicalAt: number | null = null;
  const t0 = performance.now();
  const memory = peakRss();
  const r = await trainPlant(corpus, settings, {
    workDir: o.workDir,
    spawnLexicalWorker: spawnTsxLexicalWorker,
    onModel: () => void (lexicalAt ??= (performance.now() - t0) / 1000),
    onProgress: (p) => {
      if (p.unit === 'step' && p.done !== p.total && p.done % 200 !== 0) return;
      if (p.unit === 'documents') return;
      const line = `${variant} ${p.stage} ${p.done}/${p.total} ${p.unit}${p.loss !== undefined ? ` loss ${p.loss.toFixed(4)}` : ''}${p.metric !== undefined ? ` ${p.metricName} ${p.metric.toFixed(4)}` : ''}${p.message ? ` ${p.message}` : ''}`;
      if (line !== last) o.log(line);
      last = line;
    },
  });
  const peak = memory.stop();
  const wallS = (performance.now() - t0) / 1000;
  const { model, encoded, lexical } = r;
  if (!lexical || !r.lexicalModel) throw new Error('the benchmark measures the default model: the lexical ranker must be enabled');
  const L = corpus.labels.length;
  const common = { config: { ...model.settings }, finished_at: new Date().toISOString(), peak_rss_mb: +peak.toFixed(0) };
  const check = (name: string, pipeline: PlantModel['metrics'], bench: ReturnType<typeof evaluateScores>['report']): void => {
    if (pipeline && (Math.abs((pipeline['p@5'] ?? 0) - (bench['p@5'] ?? 0)) > 1e-9 || Math.abs((pipeline.micro_f1 ?? 0) - (bench.micro_f1 ?? 0)) > 1e-9)) {
      throw new Error(`${name}: the pipeline's evaluation (P@5 ${pipeline['p@5']}, micro-F1 ${pipeline.micro_f1}) differs from the bench's (P@5 ${bench['p@5']}, micro-F1 ${bench.micro_f1})`);
    }
  };
  const stages = Object.fromEntries(model.stageTimings.map((t) => [t.stage, +t.seconds.toFixed(2)]));

  // the attention part alone: every label scored
  const a0 = performance.now();
  const [tuningAll, evaluationAll] = await withPredictor(model.config, model.params, { threads: o.threads, maxLen: model.settings.maxLen }, async (pr) => [
    await scoreDocuments(pr, encoded.tuning, L, { maxLen: model.settings.maxLen }),
    await scoreDocuments(pr, encoded.evaluation, L, { maxLen: model.settings.maxLen }),
  ]);
  const attentionInfer = (performance.now() - a0) / 1000;
  const attention = evaluateScores(corpus, tuningAll, evaluationAll);
  check(`${variant} attention`, model.components?.attention ?? null, attention.report);

  // the fused model: the attention logits of the lexical candidates, fused
  const f0 = performance.now();
  const logitsOf: Float32Array[][] = [];
  const fusedScores = async (cands: readonly Candidates[], ids: readonly Int32Array[], m: PlantModel, withAttention: boolean): Promise<Float32Array[]> => {
    const logits = withAttention ? await withPredictor(m.config, m.params, { threads: o.threads, maxLen: m.settings.maxLen }, (pr) => scoreCandidates(pr, ids, cands.map((c) => c.labels), { maxLen: m.settings.maxLen })) : null;
    if (logits) logitsOf.push(logits);
    return cands.map((c, i) => denseProbabilities(L, c.labels, fuse(m.fusion!, { candidates: c, ...(logits ? { attention: logits[i]! } : {}) }, m.trainFreq)));
  };
  const fused = evaluateScores(corpus, await fusedScores(lexical.tuning, encoded.tuning, model, true), await fusedScores(lexical.evaluation, encoded.evaluation, model, true));
  const fusedInfer = (performance.now() - f0) / 1000;
  check(`${variant} fused`, model.metrics, fused.report);
  if (o.fusionDump) {
    // Everything the fusion stage sees, so fusion variants can be compared offline (bench/experiments/fusion-replay.ts).
    const half = (cands: readonly Candidates[], logits: Float32Array[], docs: PlantCorpus['tuning']) => ({ candidates: cands, attention: logits, gold: docs.map((d) => d.labels) });
    writeFusionDump(`${o.fusionDump}.${variant}.v8`, { numLabels: L, trainFreq: model.trainFreq, numTrainDocs: corpus.train.length, fusion: model.fusion!, lexicalFusion: r.lexicalModel?.fusion ?? null, tuning: half(lexical.tuning, logitsOf[0]!, corpus.tuning), evaluation: half(lexical.evaluation, logitsOf[1]!, corpus.evaluation) });
    o.log(`fusion inputs written to ${o.fusionDump}.${variant}.v8`);
  }

  const fusedTrain = stageSeconds(model, ['tokenize', 'lexical', 'exact', 'fusion', 'shortlist', 'pretrain', 'mig', 'l2r', 'plant', 'finetune']);
  const extra = {
    stage_s: stages,
    l2r_ndcg10: model.l2rNdcg,
    finetune_curve: model.curve.filter((c) => c.stage === 'finetune'),
    vocabulary: encoded.vocab.size,
    pipeline_wall_s: +wallS.toFixed(2),
    shortlist_recall: lexical.recall,
    ece: model.calibration?.ece ?? null,
    first_model_s: lexicalAt,
  };
  const out: Partial<Record<SystemName, SystemResult>> = {
    [variant === 'plant' ? 'planter' : 'planter_lant']: { ...common, metrics: fused.report, train_s: fusedTrain, infer_s: fusedInfer, search_s: fusedTrain, threshold: fused.threshold, extra: { ...extra, fusion: model.fusion } },
    [variant]: { ...common, metrics: attention.report, train_s: stageSeconds(model, ['tokenize', 'lexical', 'exact', 'shortlist', 'pretrain', 'mig', 'l2r', 'plant', 'finetune']), infer_s: attentionInfer, search_s: 0, threshold: attention.threshold, extra: { stage_s: stages, l2r_ndcg10: model.l2rNdcg } },
  };
  if (variant === 'plant') {
    const lx = r.lexicalModel;
    const l0 = performance.now();
    const lexOnly = evaluateScores(corpus, await fusedScores(lexical.tuning, encoded.tuning, lx, false), await fusedScores(lexical.evaluation, encoded.evaluation, lx, false));
    const lexInfer = (performance.now() - l0) / 1000;
    check('lexical', lx.metrics, lexOnly.report);
    const lexTrain = stageSeconds(lx, ['tokenize', 'lexical', 'exact', 'fusion']);
    const fileMb = encodeLexicalModel(lexical.model).length / 2 ** 20;
    out.lexical = { ...common, metrics: lexOnly.report, train_s: lexTrain, infer_s: lexInfer, search_s: lexTrain, threshold: lexOnly.threshold, extra: { stage_s: Object.fromEntries(lx.stageTimings.map((t) => [t.stage, +t.seconds.toFixed(2)])), ranker: lexical.stats, shortlist_recall: lexical.recall, ece: lx.calibration?.ece ?? null, fusion: lx.fusion, lexical_bin_mb: +fileMb.toFixed(1) } };
  }
  out[variant]!.search_s = out[variant]!.train_s;
  rmSync(o.workDir, { recursive: true, force: true });
  return out;
}
