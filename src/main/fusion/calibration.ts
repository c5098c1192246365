/**
 * Calibration of the probabilities shown to a coder: reliability bins (mean predicted probability
 * against the observed share of correct labels) and the expected calibration error
 * ECE = Σ_b (n_b / n) · |accuracy_b − confidence_b| over equal-width bins of the probability.
 */

export interface ReliabilityBin {
  /** Bin range [lo, hi). */
  lo: number;
  hi: number;
  count: number;
  /** Mean predicted probability in the bin (null when empty). */
  confidence: number | null;
  /** Share of the bin's pairs that were correct (null when empty). */
  accuracy: number | null;
}

export interface Calibration {
  ece: number | null;
  pairs: number;
  bins: ReliabilityBin[];
}

/** Reliability sums of (probability, correct) pairs, added one at a time (a streamed evaluation keeps only these). */
export class CalibrationSums {
  readonly #count: Float64Array;
  readonly #conf: Float64Array;
  readonly #hits: Float64Array;
  #n = 0;

  constructor(readonly bins = 10) {
    this.#count = new Float64Array(bins);
    this.#conf = new Float64Array(bins);
    this.#hits = new Float64Array(bins);
  }

  add(prob: number, correct: boolean): void {
    const p = Math.min(1, Math.max(0, prob));
    const b = Math.min(this.bins - 1, Math.floor(p * this.bins));
    this.#count[b]!++;
    this.#conf[b]! += p;
    this.#hits[b]! += correct ? 1 : 0;
    this.#n++;
  }

  /**
   * Adds a document's `k` best suggestions (positive probabilities, best first) and whether each
   * is gold. `row` is dense (one probability per label) or lists only some labels.
   */
  addDocument(row: ArrayLike<number> | { labels: ArrayLike<number>; scores: ArrayLike<number> }, gold: ReadonlySet<number>, k: number): void {
    if (gold.size === 0) return;
    const labels: number[] = [];
    const probs: number[] = [];
    const visit = (l: number, p: number) => {
      if (!(p > 0)) return;
      labels.push(l);
      probs.push(p);
    };
    if ('labels' in row) for (let i = 0; i < row.labels.length; i++) visit(row.labels[i]!, row.scores[i]!);
    else for (let l = 0; l < row.length; l++) visit(l, row[l]!);
    const order = Array.from(labels.keys()).sort((a, b) => probs[b]! - probs[a]! || labels[a]! - labels[b]!);
    for (const i of order.slice(0, k)) this.add(probs[i]!, gold.has(labels[i]!));
  }

  result(): Calibration {
    const n = this.#n;
    let ece = 0;
    const out: ReliabilityBin[] = [];
    for (let b = 0; b < this.bins; b++) {
      const c = this.#count[b]!;
      const conf = this.#conf[b]!;
      const hits = this.#hits[b]!;
      out.push({ lo: b / this.bins, hi: (b + 1) / this.bins, count: c, confidence: c ? conf / c : null, accuracy: c ? hits / c : null });
      if (c) ece += (c / n) * Math.abs(hits / c - conf / c);
    }
    return { ece: n ? ece : null, pairs: n, bins: out };
  }
}

/** Reliability of (probability, correct) pairs in `bins` equal-width bins. */
export function calibration(probs: ArrayLike<number>, correct: ArrayLike<boolean | number>, bins = 10): Calibration {
  const sums = new CalibrationSums(bins);
  for (let i = 0; i < probs.length; i++) sums.add(probs[i]!, Boolean(correct[i]));
  return sums.result();
}

/**
 * Calibration of what a coder sees: each document's `k` best suggestions (by probability) and
 * whether each is a gold label. scores: [docs][labels] probabilities.
 */
export function suggestionCalibration(scores: readonly ArrayLike<number>[], gold: readonly (readonly number[])[], k = 15, bins = 10): Calibration {
  const sums = new CalibrationSums(bins);
  scores.forEach((row, d) => sums.addDocument(row, new Set(gold[d]), k));
  return sums.result();
}
