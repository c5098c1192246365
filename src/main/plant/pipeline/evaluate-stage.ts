import type { EvalReport } from '../../../shared/contract';
import type { ClassifierConfig } from '../../engine/models/classifier';
import type { Params } from '../../engine/models/params';
import { evaluateDetailed, type DetailedEvaluation } from '../../eval/evaluate';
import { bucketThresholds } from '../../eval/group-thresholds';
import type { Thresholds } from '../../eval/thresholds';
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
 * Scores the tuning half, chooses the decision thresholds there (one per training-frequency bucket,
 * micro-F1-optimal; see eval/group-thresholds), and
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

