/**
 * Stage "fusion": the attention model scores each dev document's lexical candidates, the fusion
 * (src/main/fusion) is fitted on the tuning half, the decision thresholds are re-tuned on the
 * fused probabilities of the tuning half, and every metric plus the calibration is measured on
 * the evaluation half. Without attention (the first, lexical-only model) the same stage fuses the
 * lexical features alone.
 */
import type { EvalReport } from '../../../shared/contract';
import type { ClassifierConfig } from '../../engine/models/classifier';
import type { Params } from '../../engine/models/params';
import { evaluateDetailed, type DetailedEvaluation } from '../../eval/evaluate';
import { bucketThresholds } from '../../eval/group-thresholds';
import type { Thresholds } from '../../eval/thresholds';
import { suggestionCalibration, type Calibration } from '../../fusion/calibration';
import { denseProbabilities, fitFusion, fuse, type FusionModel, type ScoredCandidates } from '../../fusion/fusion';
import type { Candidates } from '../../lexical/model';
import type { PlantDoc } from './corpus';
import type { PipelineHooks } from './progress';
import { scoreCandidates, withPredictor } from './scoring';

export interface FusionStageInput {
  numLabels: number;
  trainFreq: Int32Array;
  numTrainDocs: number;
  tuning: { ids: readonly Int32Array[]; docs: readonly PlantDoc[]; candidates: readonly Candidates[] };
  evaluation: { ids: readonly Int32Array[]; docs: readonly PlantDoc[]; candidates: readonly Candidates[] };
  /** The attention model whose logits join the fusion (absent: lexical features only); `untrained`: labels whose rows it has not learned. */
  attention?: { config: ClassifierConfig; params: Params; maxLen: number; threads?: number | undefined; untrained?: readonly number[] };
  /** The fusion reads the nearest training documents' votes (default: when the candidates carry them, Candidates.knn). */
  neighbours?: boolean;
}

export interface FusionStageResult {
  fusion: FusionModel;
  thresholds: Thresholds;
  report: EvalReport | null;
  detailed: DetailedEvaluation | null;
  calibration: Calibration | null;
  /** Fitting data of the fusion (candidate pairs of the tuning half, and how many were gold). */
  pairs: number;
  positives: number;
}

export async function fusionStage(input: FusionStageInput, hooks: PipelineHooks): Promise<FusionStageResult> {
  const { tuning, evaluation, numLabels: L, trainFreq } = input;
  const total = tuning.ids.length + evaluation.ids.length;
  const withAttention = Boolean(input.attention);
  const withNeighbours = input.neighbours ?? [...tuning.candidates, ...evaluation.candidates].some((c) => c.knn !== undefined);
  let scored: { tuning: ScoredCandidates[]; evaluation: ScoredCandidates[] };
  if (input.attention) {
    const a = input.attention;
    scored = await withPredictor(a.config, a.params, { threads: a.threads, maxLen: a.maxLen }, async (pr) => {
      const t = await scoreCandidates(pr, tuning.ids, tuning.candidates.map((c) => c.labels), { maxLen: a.maxLen, signal: hooks.signal, onProgress: (d, n) => hooks.onProgress?.({ stage: 'fusion', done: Math.round((d / Math.max(1, n)) * tuning.ids.length), total, unit: 'documents' }) });
      const e = await scoreCandidates(pr, evaluation.ids, evaluation.candidates.map((c) => c.labels), { maxLen: a.maxLen, signal: hooks.signal, onProgress: (d, n) => hooks.onProgress?.({ stage: 'fusion', done: tuning.ids.length + Math.round((d / Math.max(1, n)) * evaluation.ids.length), total, unit: 'documents' }) });
      return { tuning: tuning.candidates.map((c, i) => ({ candidates: c, attention: t[i]! })), evaluation: evaluation.candidates.map((c, i) => ({ candidates: c, attention: e[i]! })) };
    });
  } else {
    scored = { tuning: tuning.candidates.map((c) => ({ candidates: c })), evaluation: evaluation.candidates.map((c) => ({ candidates: c })) };
  }
  const tuningGold = tuning.docs.map((d) => d.labels);
  const fit = fitFusion(scored.tuning, tuningGold, trainFreq, withAttention, { ...(input.attention?.untrained ? { noAttention: input.attention.untrained } : {}), ...(withNeighbours ? { withNeighbours: true } : {}) });
  const { pairs, positives, ...fusion } = fit;
  const dense = (docs: ScoredCandidates[]): Float32Array[] => docs.map((d) => denseProbabilities(L, d.candidates.labels, fuse(fusion, d, trainFreq)));
  const tuneProbs = dense(scored.tuning);
  const thresholds: Thresholds = tuning.ids.length ? bucketThresholds(tuneProbs, tuningGold, trainFreq) : { global: 0.5 };
  hooks.onProgress?.({ stage: 'fusion', done: total, total, unit: 'documents' });
  if (evaluation.ids.length === 0) return { fusion, thresholds, report: null, detailed: null, calibration: null, pairs, positives };
  const evalProbs = dense(scored.evaluation);
  const evalGold = evaluation.docs.map((d) => d.labels);
  const detailed = evaluateDetailed({ scores: evalProbs, gold: evalGold, numLabels: L, trainFreq, numTrainDocs: input.numTrainDocs, thresholds });
  return { fusion, thresholds, report: detailed.report as EvalReport, detailed, calibration: suggestionCalibration(evalProbs, evalGold), pairs, positives };
}
