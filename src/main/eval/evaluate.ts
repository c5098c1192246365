/**
 * The full evaluation report of PLANT.md §3, overall and per training-frequency bucket.
 *
 * Bucket convention (as in Chalkidis et al.'s frequent/few/zero evaluation of LMTC): for bucket b,
 * every metric is computed on the label columns of b only —
 * - P@k / nDCG@k / PSP@k rank **only the bucket's labels** (predictions of other buckets do not
 *   take top-k slots) against the document's gold labels of that bucket; documents without a gold
 *   label in the bucket are skipped;
 * - micro-F1 sums tp/fp/fn over the bucket's labels (all documents); macro-F1 and macro-AUC
 *   average over the bucket's labels that are supported / eligible in the evaluated split;
 * - `labels` = number of the bucket's labels with gold support in the evaluated split.
 * Every number is in [0, 1] or null (undefined: no document / label to average over); never NaN.
 */
import { macroAuc, perLabelAuc } from './auc';
import { BUCKETS, bucketMasks, bucketOf } from './buckets';
import type { Bucket } from './buckets';
import { f1Of, labelCounts, macroF1, microF1 } from './classification';
import type { LabelCounts } from './classification';
import { DEFAULT_PROPENSITY_A, DEFAULT_PROPENSITY_B, inversePropensities, rankingMetrics } from './ranking';
import type { RankingMetrics } from './ranking';
import { invertGold, normalizeGold, ScoreMatrix } from './scores';
import type { DocScores } from './scores';
import { predict } from './thresholds';
import type { Thresholds } from './thresholds';

export interface MetricSet {
  'p@1': number | null;
  'p@3': number | null;
  'p@5': number | null;
  'ndcg@1': number | null;
  'ndcg@3': number | null;
  'ndcg@5': number | null;
  'psp@1': number | null;
  'psp@3': number | null;
  'psp@5': number | null;
  micro_f1: number | null;
  macro_f1: number | null;
  macro_auc: number | null;
}

export interface BucketReport extends MetricSet {
  /** Labels of the bucket with gold support in the evaluated split. */
  labels: number;
}

export interface EvalReport extends MetricSet {
  buckets: Record<Bucket, BucketReport>;
}

export interface EvalInput {
  /** [D] per-document scores over L labels (dense Float32Array [L] or sparse lists). */
  readonly scores: readonly DocScores[];
  /** [D] gold label ids per document. */
  readonly gold: readonly ArrayLike<number>[];
  readonly numLabels: number;
  /** [L] number of training documents per label (bucket and propensity). */
  readonly trainFreq: ArrayLike<number>;
  /** N for the propensity model. */
  readonly numTrainDocs: number;
  /** Tuned on another split with `tuneThresholds`. */
  readonly thresholds: Thresholds;
  readonly propensityA?: number;
  readonly propensityB?: number;
}

/** One row of the per-label view. */
export interface LabelRow {
  readonly label: number;
  readonly bucket: Bucket;
  readonly trainFreq: number;
  readonly support: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  /** null when the label was never predicted. */
  readonly precision: number | null;
  /** null when the label has no support. */
  readonly recall: number | null;
  /** null when it has no support and was never predicted. */
  readonly f1: number | null;
  /** null unless the split has both positive and negative documents for it. */
  readonly auc: number | null;
}

export interface DetailedEvaluation {
  readonly report: EvalReport;
  /** [L] rows, by label id. */
  readonly perLabel: LabelRow[];
  /** Labels predicted for no document of the split, ascending. */
  readonly neverPredicted: number[];
}

function metricSet(
  ranking: RankingMetrics,
  counts: LabelCounts,
  auc: readonly (number | null)[],
  include: (l: number) => boolean,
): MetricSet {
  return {
    'p@1': ranking.precision[1],
    'p@3': ranking.precision[3],
    'p@5': ranking.precision[5],
    'ndcg@1': ranking.ndcg[1],
    'ndcg@3': ranking.ndcg[3],
    'ndcg@5': ranking.ndcg[5],
    'psp@1': ranking.psp[1],
    'psp@3': ranking.psp[3],
    'psp@5': ranking.psp[5],
    micro_f1: microF1(counts, include),
    macro_f1: macroF1(counts, include),
    macro_auc: macroAuc(auc, include),
  };
}

/** The report, the per-label table and the never-predicted list in one pass over the scores. */
export function evaluateDetailed(input: EvalInput): DetailedEvaluation {
  const { numLabels, trainFreq } = input;
  if (trainFreq.length !== numLabels) throw new Error(`evaluate: trainFreq has ${trainFreq.length} entries, expected ${numLabels}`);
  const scores = new ScoreMatrix(input.scores, numLabels);
  const gold = normalizeGold(input.gold, scores.numDocs, numLabels);
  if (input.thresholds.perLabel && input.thresholds.perLabel.length !== numLabels) {
    throw new Error(`evaluate: ${input.thresholds.perLabel.length} per-label thresholds, expected ${numLabels}`);
  }
  const invP = inversePropensities(
    trainFreq,
    input.numTrainDocs,
    input.propensityA ?? DEFAULT_PROPENSITY_A,
    input.propensityB ?? DEFAULT_PROPENSITY_B,
  );
  const counts = labelCounts(predict(scores, input.thresholds), gold, numLabels);
  const auc = perLabelAuc(scores, invertGold(gold, numLabels));
  const masks = bucketMasks(trainFreq);
  const overall = rankingMetrics(scores, gold, invP);
  const perBucket = Object.fromEntries(BUCKETS.map((b) => [b, rankingMetrics(scores, gold, invP, masks[b])])) as Record<Bucket, RankingMetrics>;
  return assembleEvaluation({ overall, perBucket, counts, auc, trainFreq });
}

/** What the report is made of, however it was accumulated (all at once here, or streamed). */
export interface EvaluationParts {
  readonly overall: RankingMetrics;
  readonly perBucket: Record<Bucket, RankingMetrics>;
  readonly counts: LabelCounts;
  /** [L] AUC per label, null where not eligible. */
  readonly auc: readonly (number | null)[];
  readonly trainFreq: ArrayLike<number>;
}

/** The report, the per-label rows and the never-predicted labels from the accumulated parts. */
export function assembleEvaluation({ overall, perBucket, counts, auc, trainFreq }: EvaluationParts): DetailedEvaluation {
  const numLabels = trainFreq.length;
  const masks = bucketMasks(trainFreq);
  const buckets = {} as Record<Bucket, BucketReport>;
  for (const b of BUCKETS) {
    const mask = masks[b];
    const include = (l: number) => mask[l] === 1;
    let labels = 0;
    for (let l = 0; l < numLabels; l++) if (mask[l] === 1 && counts.support[l]! > 0) labels++;
    buckets[b] = { ...metricSet(perBucket[b], counts, auc, include), labels };
  }
  const perLabel: LabelRow[] = [];
  const neverPredicted: number[] = [];
  for (let l = 0; l < numLabels; l++) {
    const tp = counts.tp[l]!;
    const fp = counts.fp[l]!;
    const fn = counts.fn[l]!;
    const support = counts.support[l]!;
    if (tp + fp === 0) neverPredicted.push(l);
    perLabel.push({
      label: l,
      bucket: bucketOf(trainFreq[l]!),
      trainFreq: trainFreq[l]!,
      support,
      tp,
      fp,
      fn,
      precision: tp + fp > 0 ? tp / (tp + fp) : null,
      recall: support > 0 ? tp / support : null,
      f1: f1Of(tp, fp, fn),
      auc: auc[l] ?? null,
    });
  }
  return { report: { ...metricSet(overall, counts, auc, () => true), buckets }, perLabel, neverPredicted };
}

/**
 * P@1/3/5, nDCG@1/3/5, PSP@1/3/5, micro-/macro-F1 at the given (tuning-split) thresholds and
 * macro-AUC, overall and per bucket (see the module comment for every convention).
 */
export function evaluate(input: EvalInput): EvalReport {
  return evaluateDetailed(input).report;
}
