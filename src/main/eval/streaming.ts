/**
 * The evaluation of a split streamed a batch of documents at a time (issue #15): a split of
 * 75,000 documents against 94,000 labels would need a 28 GB score matrix, so only the sums the
 * metrics need are kept.
 *
 * - P@k / nDCG@k / PSP@k (overall and per bucket) and the per-label tp / fp / fn counts are
 *   exact: they are sums over documents.
 * - AUC needs every document's score for a label. While documents × labels stays within
 *   `exactAucBudget`, the rows are kept and the AUC is exact (the result equals
 *   `evaluateDetailed` on the same rows); past it, the rows are folded into per-label histograms
 *   (`BinnedAuc`) and dropped, so memory stops growing with the documents. `aucExact` says which.
 */
import { BinnedAuc, perLabelAuc } from './auc';
import { BUCKETS, bucketMasks } from './buckets';
import type { Bucket } from './buckets';
import type { LabelCounts } from './classification';
import { assembleEvaluation, type DetailedEvaluation, type EvalInput } from './evaluate';
import { DEFAULT_PROPENSITY_A, DEFAULT_PROPENSITY_B, inversePropensities, RankingSums } from './ranking';
import { invertGold, normalizeGold, ScoreMatrix, type DocScores, type SparseScores } from './scores';
import { passes, type Thresholds } from './thresholds';

export interface EvaluationStreamOptions extends Omit<EvalInput, 'scores' | 'gold'> {
  /** Exact AUC while documents × labels ≤ this (default 2²⁵: ~350 documents at 94,000 labels, 8,000 at 4,000). */
  readonly exactAucBudget?: number;
  /** Histogram bins per label once the AUC is binned. */
  readonly aucBins?: number;
}

export interface StreamedEvaluation extends DetailedEvaluation {
  readonly documents: number;
  /** False when the AUC came from histograms (see BinnedAuc) because the split was too large. */
  readonly aucExact: boolean;
}

export const DEFAULT_EXACT_AUC_BUDGET = 2 ** 25;

/** A row as the labels it lists with finite scores, so kept rows cost their entries, not L. */
function compact(row: DocScores): SparseScores {
  const labels: number[] = [];
  const scores: number[] = [];
  const keep = (label: number, score: number) => {
    if (!(score > Number.NEGATIVE_INFINITY)) return;
    labels.push(label);
    scores.push(score);
  };
  if (row instanceof Float32Array) for (let l = 0; l < row.length; l++) keep(l, row[l]!);
  else for (let i = 0; i < row.labels.length; i++) keep(row.labels[i]!, row.scores[i]!);
  return { labels: Int32Array.from(labels), scores: Float32Array.from(scores) };
}

export class EvaluationStream {
  readonly #numLabels: number;
  readonly #trainFreq: ArrayLike<number>;
  readonly #thresholds: Thresholds;
  readonly #overall: RankingSums;
  readonly #perBucket: Record<Bucket, RankingSums>;
  readonly #counts: LabelCounts;
  readonly #goldStamp: Int32Array;
  readonly #exactBudget: number;
  readonly #bins: number;
  #docs = 0;
  /** Kept for the exact AUC until the budget is passed; then null and `#binned` takes over. */
  #kept: { rows: SparseScores[]; gold: Int32Array[] } | null = { rows: [], gold: [] };
  #binned: BinnedAuc | null = null;

  constructor(o: EvaluationStreamOptions) {
    const L = o.numLabels;
    if (o.trainFreq.length !== L) throw new Error(`evaluate: trainFreq has ${o.trainFreq.length} entries, expected ${L}`);
    if (o.thresholds.perLabel && o.thresholds.perLabel.length !== L) {
      throw new Error(`evaluate: ${o.thresholds.perLabel.length} per-label thresholds, expected ${L}`);
    }
    this.#numLabels = L;
    this.#trainFreq = o.trainFreq;
    this.#thresholds = o.thresholds;
    const invP = inversePropensities(o.trainFreq, o.numTrainDocs, o.propensityA ?? DEFAULT_PROPENSITY_A, o.propensityB ?? DEFAULT_PROPENSITY_B);
    const masks = bucketMasks(o.trainFreq);
    this.#overall = new RankingSums(L, invP);
    this.#perBucket = Object.fromEntries(BUCKETS.map((b) => [b, new RankingSums(L, invP, masks[b])])) as Record<Bucket, RankingSums>;
    this.#counts = { support: new Int32Array(L), tp: new Int32Array(L), fp: new Int32Array(L), fn: new Int32Array(L) };
    this.#goldStamp = new Int32Array(L);
    this.#exactBudget = o.exactAucBudget ?? DEFAULT_EXACT_AUC_BUDGET;
    this.#bins = o.aucBins ?? 64;
  }

  get documents(): number {
    return this.#docs;
  }

  /** Adds a batch: each document's scores (dense [L] or sparse; unlisted labels are −∞) and gold label ids. */
  add(rows: readonly DocScores[], gold: readonly ArrayLike<number>[]): void {
    const L = this.#numLabels;
    new ScoreMatrix(rows, L); // validates shapes and label ids, with the document's position in the batch
    const golds = normalizeGold(gold, rows.length, L);
    rows.forEach((row, i) => {
      const g = golds[i]!;
      const stamp = ++this.#docs;
      for (const l of g) {
        this.#goldStamp[l] = stamp;
        this.#counts.support[l]!++;
      }
      this.#overall.add(row, g);
      for (const b of BUCKETS) this.#perBucket[b].add(row, g);
      this.#countPredictions(row, stamp);
      this.#addToAuc(compact(row), g);
    });
  }

  #countPredictions(row: DocScores, stamp: number): void {
    const { perLabel, global } = this.#thresholds;
    const count = (l: number, s: number) => {
      if (!passes(s, perLabel ? perLabel[l]! : global)) return;
      if (this.#goldStamp[l] === stamp) this.#counts.tp[l]!++;
      else this.#counts.fp[l]!++;
    };
    if (row instanceof Float32Array) for (let l = 0; l < row.length; l++) count(l, row[l]!);
    else for (let i = 0; i < row.labels.length; i++) count(row.labels[i]!, row.scores[i]!);
  }

  #addToAuc(row: SparseScores, gold: Int32Array): void {
    if (this.#kept && this.#docs * this.#numLabels <= this.#exactBudget) {
      this.#kept.rows.push(row);
      this.#kept.gold.push(gold);
      return;
    }
    if (!this.#binned) {
      // Past the budget: fold what was kept into histograms and keep nothing from now on.
      this.#binned = new BinnedAuc(this.#numLabels, this.#bins);
      const kept = this.#kept ?? { rows: [], gold: [] };
      this.#kept = null;
      kept.rows.forEach((r, i) => this.#binnedAdd(r, kept.gold[i]!));
    }
    this.#binnedAdd(row, gold);
  }

  #binnedAdd(row: SparseScores, gold: Int32Array): void {
    const set = new Set(gold);
    this.#binned!.add(row.labels, row.scores, gold, (l) => set.has(l));
  }

  finish(): StreamedEvaluation {
    const counts = this.#counts;
    for (let l = 0; l < this.#numLabels; l++) counts.fn[l] = counts.support[l]! - counts.tp[l]!;
    const kept = this.#kept;
    const auc = kept ? perLabelAuc(new ScoreMatrix(kept.rows, this.#numLabels), invertGold(kept.gold, this.#numLabels)) : this.#binned!.result();
    const perBucket = Object.fromEntries(BUCKETS.map((b) => [b, this.#perBucket[b].metrics()])) as Record<Bucket, ReturnType<RankingSums['metrics']>>;
    const detailed = assembleEvaluation({ overall: this.#overall.metrics(), perBucket, counts, auc, trainFreq: this.#trainFreq });
    return { ...detailed, documents: this.#docs, aucExact: kept !== null };
  }
}
