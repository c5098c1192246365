// The one scoring path every system of the quality benchmark goes through: the project's own
// metrics module (src/main/eval), with the same steps as the pipeline's evaluate stage
// (src/main/plant/pipeline/evaluate-stage.ts): micro-F1 thresholds per training-frequency bucket
// tuned on the tuning half with `bucketThresholds`, then `evaluateDetailed` on the evaluation half
// with the training frequencies for the buckets and propensities.
import type { EvalReport } from '../src/shared/contract';
import { bucketThresholds, evaluateDetailed, inversePropensities, normalizeGold, rankingMetrics, ScoreMatrix, type DetailedEvaluation, type DocScores } from '../src/main/eval';
import { trainFrequencies, type PlantCorpus } from '../src/main/plant/pipeline/corpus';

export interface Scored {
  report: EvalReport;
  threshold: number;
  detailed: DetailedEvaluation;
}

/** Metrics of one system from its per-label scores on the tuning and evaluation halves. */
export function evaluateScores(corpus: PlantCorpus, tuning: readonly DocScores[], evaluation: readonly DocScores[]): Scored {
  const L = corpus.labels.length;
  if (tuning.length !== corpus.tuning.length || evaluation.length !== corpus.evaluation.length) {
    throw new Error(`evaluateScores: got ${tuning.length}+${evaluation.length} score rows for ${corpus.tuning.length}+${corpus.evaluation.length} documents`);
  }
  // The same decision rule as Planter's pipeline for every system: one threshold per training-frequency bucket.
  const thresholds = bucketThresholds(tuning, corpus.tuning.map((d) => d.labels), trainFrequencies(corpus.train, L));
  const detailed = evaluateDetailed({
    scores: evaluation,
    gold: corpus.evaluation.map((d) => d.labels),
    numLabels: L,
    trainFreq: trainFrequencies(corpus.train, L),
    numTrainDocs: corpus.train.length,
    thresholds,
  });
  return { report: detailed.report as EvalReport, threshold: thresholds.global, detailed };
}

/** P@5 on the tuning half: the selection criterion of every peer's hyper-parameter search. */
export function tuningP5(corpus: PlantCorpus, tuning: readonly DocScores[]): number | null {
  const L = corpus.labels.length;
  const scores = new ScoreMatrix(tuning, L);
  const gold = normalizeGold(corpus.tuning.map((d) => d.labels), scores.numDocs, L);
  // Propensities do not enter P@k; any vector of the right length will do.
  return rankingMetrics(scores, gold, inversePropensities(new Int32Array(L), 1)).precision[5];
}
