import type { EvalReport } from '../../../shared/contract';
import type { ClassifierConfig } from '../../engine/models/classifier';
import type { Params } from '../../engine/models/params';
import { evaluateDetailed, type DetailedEvaluation } from '../../eval/evaluate';
import { ScoreMatrix } from '../../eval/scores';
import { tuneThresholds, type Thresholds } from '../../eval/thresholds';
import type { PlantDoc } from './corpus';
import type { PipelineHooks } from './progress';
import { scoreDocuments, withPredictor } from './scoring';

export interface Evaluation {
  thresholds: Thresholds;
  /** null when there is nothing to evaluate on (no dev documents). */
  report: EvalReport | null;
  detailed: DetailedEvaluation | null;
}

/**
 * Scores the tuning half, chooses the decision threshold there (micro-F1-optimal, global), and
 * reports every metric on the evaluation half with the training frequencies for buckets and
 * propensities. Without tuning documents the threshold falls back to 0.5.
 */
export async function evaluateStage(
  config: ClassifierConfig,
  params: Params,
  tuning: { ids: readonly Int32Array[]; docs: readonly PlantDoc[] },
  evaluation: { ids: readonly Int32Array[]; docs: readonly PlantDoc[] },
  trainFreq: Int32Array,
  numTrainDocs: number,
  o: { maxLen: number; threads?: number | undefined },
  hooks: PipelineHooks,
): Promise<Evaluation> {
  const L = config.labels;
  const total = tuning.ids.length + evaluation.ids.length;
  const report = (done: number): void => hooks.onProgress?.({ stage: 'evaluate', done, total, unit: 'documents' });
  return withPredictor(config, params, o, async (predictor) => {
    const tuneScores = await scoreDocuments(predictor, tuning.ids, L, { maxLen: o.maxLen, signal: hooks.signal, onProgress: (d, t) => report(Math.round((d / Math.max(1, t)) * tuning.ids.length)) });
    const thresholds: Thresholds = tuning.ids.length ? bucketThresholds(tuneScores, tuning.docs.map((d) => d.labels), trainFreq) : { global: 0.5 };
    if (evaluation.ids.length === 0) return { thresholds, report: null, detailed: null };
    const evalScores = await scoreDocuments(predictor, evaluation.ids, L, {
      maxLen: o.maxLen,
      signal: hooks.signal,
      onProgress: (d, t) => report(tuning.ids.length + Math.round((d / Math.max(1, t)) * evaluation.ids.length)),
    });
    const detailed = evaluateDetailed({ scores: evalScores, gold: evaluation.docs.map((d) => d.labels), numLabels: L, trainFreq, numTrainDocs, thresholds });
    return { thresholds, report: detailed.report as EvalReport, detailed };
  });
}

/**
 * One decision threshold per training-frequency bucket (zero, 1–5, 6–50, > 50), each tuned for
 * the micro-F1 of its bucket's labels on the tuning half; a bucket without tuning positives uses
 * the global threshold. Scores of rare labels sit on another scale than those of frequent ones,
 * so one global threshold (tuned where the frequent labels dominate the positives) never let a
 * rare label through: few-shot F1 was exactly 0 on CodiEsp.
 */
export function bucketThresholds(scores: readonly Float32Array[], gold: readonly number[][], trainFreq: ArrayLike<number>): Thresholds {
  const L = trainFreq.length;
  const global = tuneThresholds(new ScoreMatrix(scores, L), gold).global;
  const perLabel = new Float64Array(L).fill(global);
  const bucketOf = (f: number): number => (f === 0 ? 0 : f <= 5 ? 1 : f <= 50 ? 2 : 3);
  for (let b = 0; b < 4; b++) {
    const inBucket = new Uint8Array(L);
    for (let l = 0; l < L; l++) if (bucketOf(trainFreq[l]!) === b) inBucket[l] = 1;
    const bucketGold = gold.map((g) => g.filter((l) => inBucket[l]));
    if (!bucketGold.some((g) => g.length > 0)) continue;
    const masked = scores.map((row) => {
      const out = new Float32Array(L).fill(Number.NEGATIVE_INFINITY);
      for (let l = 0; l < L; l++) if (inBucket[l]) out[l] = row[l]!;
      return out;
    });
    const t = tuneThresholds(new ScoreMatrix(masked, L), bucketGold).global;
    for (let l = 0; l < L; l++) if (inBucket[l]) perLabel[l] = t;
  }
  return { global, perLabel };
}
