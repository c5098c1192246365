// Planter's two systems in the quality benchmark: PLANT (default settings) and LANT (the same run
// with `plant: false`), trained by the product's own pipeline (trainPlant).
import { mkdirSync, rmSync } from 'node:fs';
import type { PlantSettingsInput } from '../src/shared/contract';
import type { PlantCorpus } from '../src/main/plant/pipeline/corpus';
import { trainPlant } from '../src/main/plant/pipeline/train-plant';
import { scoreDocuments, withPredictor } from '../src/main/plant/pipeline/scoring';
import { evaluateScores } from './quality-eval';
import type { SystemResult } from './quality-plan';

export interface PlanterOptions {
  workDir: string;
  threads: number;
  log: (s: string) => void;
  /** Overrides of the default settings (the smoke run shrinks the model; the full run passes none). */
  overrides?: PlantSettingsInput;
}

/**
 * Trains one Planter system and scores the dev halves. train_s covers every training stage
 * (tokenize … finetune); the pipeline's own evaluation stage is not counted. The dev documents are
 * then scored again here, timed as infer_s, and evaluated by the same code as the peers; the
 * pipeline's report must agree with it (checked, so a divergence in either path is caught).
 */
export async function runPlanter(corpus: PlantCorpus, system: 'plant' | 'lant', o: PlanterOptions): Promise<SystemResult> {
  rmSync(o.workDir, { recursive: true, force: true });
  mkdirSync(o.workDir, { recursive: true });
  const settings: PlantSettingsInput = { ...o.overrides, threads: o.threads, plant: system === 'plant' };
  let last = '';
  const t0 = performance.now();
  const { model, encoded } = await trainPlant(corpus, settings, {
    workDir: o.workDir,
    onProgress: (p) => {
      if (p.unit === 'step' && p.done !== p.total && p.done % 200 !== 0) return;
      if (p.unit === 'documents') return;
      const line = `${system} ${p.stage} ${p.done}/${p.total} ${p.unit}${p.loss !== undefined ? ` loss ${p.loss.toFixed(4)}` : ''}${p.metric !== undefined ? ` ${p.metricName} ${p.metric.toFixed(4)}` : ''}${p.message ? ` ${p.message}` : ''}`;
      if (line !== last) o.log(line);
      last = line;
    },
  });
  const wallS = (performance.now() - t0) / 1000;
  const trainS = model.stageTimings.filter((t) => t.stage !== 'evaluate').reduce((a, t) => a + t.seconds, 0);
  const L = corpus.labels.length;
  const i0 = performance.now();
  const [tuning, evaluation] = await withPredictor(model.config, model.params, { threads: o.threads, maxLen: model.settings.maxLen }, async (pr) => [
    await scoreDocuments(pr, encoded.tuning, L, { maxLen: model.settings.maxLen }),
    await scoreDocuments(pr, encoded.evaluation, L, { maxLen: model.settings.maxLen }),
  ]);
  const inferS = (performance.now() - i0) / 1000;
  const scored = evaluateScores(corpus, tuning, evaluation);
  const pipeline = model.metrics;
  if (pipeline && (Math.abs((pipeline['p@5'] ?? 0) - (scored.report['p@5'] ?? 0)) > 1e-9 || Math.abs((pipeline.micro_f1 ?? 0) - (scored.report.micro_f1 ?? 0)) > 1e-9)) {
    throw new Error(`${system}: the pipeline's evaluation (P@5 ${pipeline['p@5']}, micro-F1 ${pipeline.micro_f1}) differs from the bench's (P@5 ${scored.report['p@5']}, micro-F1 ${scored.report.micro_f1})`);
  }
  rmSync(o.workDir, { recursive: true, force: true });
  return {
    metrics: scored.report,
    train_s: trainS,
    infer_s: inferS,
    search_s: trainS,
    threshold: scored.threshold,
    config: { ...model.settings },
    extra: {
      stage_s: Object.fromEntries(model.stageTimings.map((t) => [t.stage, +t.seconds.toFixed(2)])),
      l2r_ndcg10: model.l2rNdcg,
      finetune_curve: model.curve.filter((c) => c.stage === 'finetune'),
      vocabulary: encoded.vocab.size,
      pipeline_wall_s: +wallS.toFixed(2),
    },
    finished_at: new Date().toISOString(),
  };
}
