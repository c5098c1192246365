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

/** Reliability of (probability, correct) pairs in `bins` equal-width bins. */
export function calibration(probs: ArrayLike<number>, correct: ArrayLike<boolean | number>, bins = 10): Calibration {
  const count = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const n = probs.length;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1, Math.max(0, probs[i]!));
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]!++;
    conf[b]! += p;
    hits[b]! += correct[i] ? 1 : 0;
  }
  let ece = 0;
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b]!;
    out.push({ lo: b / bins, hi: (b + 1) / bins, count: c, confidence: c ? conf[b]! / c : null, accuracy: c ? hits[b]! / c : null });
    if (c) ece += (c / n) * Math.abs(hits[b]! / c - conf[b]! / c);
  }
  return { ece: n ? ece : null, pairs: n, bins: out };
}

/**
 * Calibration of what a coder sees: each document's `k` best suggestions (by probability) and
 * whether each is a gold label. scores: [docs][labels] probabilities.
 */
export function suggestionCalibration(scores: readonly ArrayLike<number>[], gold: readonly (readonly number[])[], k = 15, bins = 10): Calibration {
  const probs: number[] = [];
  const correct: boolean[] = [];
  scores.forEach((row, d) => {
    const g = new Set(gold[d]);
    if (g.size === 0) return;
    const idx: number[] = [];
    for (let l = 0; l < row.length; l++) if (row[l]! > 0) idx.push(l);
    idx.sort((a, b) => row[b]! - row[a]! || a - b);
    for (const l of idx.slice(0, k)) {
      probs.push(row[l]!);
      correct.push(g.has(l));
    }
  });
  return calibration(probs, correct, bins);
}
