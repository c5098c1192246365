/**
 * Decision thresholds for micro-/macro-F1 (PLANT.md §3: "at a decision threshold chosen on a
 * dev/tuning split (never on test)"). `tuneThresholds` sees only the tuning split's scores and
 * gold; `predict` applies the result to any other split.
 *
 * Rule: label l is predicted for a document iff score ≥ τ_l and the score is finite-or-+∞
 * (−∞ / NaN never pass). τ is placed halfway between the last included score and the next lower
 * distinct score of the tuning split, so it does not sit on a tuning score exactly (more robust on
 * another split); it is always a finite number (JSON-safe). Among cuts with equal micro-F1 the
 * higher threshold (fewer predictions) wins.
 */
import { invertGold, NEG_INF_KEY, normalizeGold, scoreKey } from './scores';
import type { ScoreMatrix } from './scores';

export interface Thresholds {
  /** The global threshold (micro-F1-optimal on the tuning split). */
  readonly global: number;
  /** [L] effective threshold per label (= global where not tuned). Absent: `global` for all. */
  readonly perLabel?: Float64Array;
  /** Labels that received their own threshold, ascending. */
  readonly tunedLabels?: Int32Array;
}

export interface TuneOptions {
  /**
   * Also tune per-label thresholds for labels with at least `minSupport` tuning positives, by one
   * pass of coordinate ascent on micro-F1 (label order; a label's τ changes only if micro-F1
   * strictly improves). Others fall back to the global threshold. Default false.
   */
  readonly perLabel?: boolean;
  /** Default 5. */
  readonly minSupport?: number;
}

/** Threshold of label l. */
export function thresholdOf(thresholds: Thresholds, label: number): number {
  return thresholds.perLabel ? thresholds.perLabel[label]! : thresholds.global;
}

/** Finite midpoint between an included score and the next lower distinct score (or −∞). */
function midpoint(included: number, nextLower: number): number {
  let t = nextLower === Number.NEGATIVE_INFINITY ? included : (included + nextLower) / 2;
  // (+∞ + x) / 2 = +∞; keep JSON-safe numbers that still admit exactly the same scores.
  if (t === Number.POSITIVE_INFINITY) t = Number.MAX_VALUE;
  return t;
}

/** Whether a score passes threshold τ. */
export function passes(score: number, threshold: number): boolean {
  return score >= threshold && score > Number.NEGATIVE_INFINITY;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
/** Inverse of scoreKey. */
function scoreOfKey(key: number): number {
  U32[0] = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  return F32[0]!;
}

/**
 * The micro-F1-optimal global threshold. Exact: F1 = 2TP / (M + P) with M predicted pairs, so any
 * threshold predicting ≥ M pairs has F1 ≤ 2P / (M + P). Only the highest-scoring ~20·P pairs are
 * sorted (found with a 65,536-bin histogram); the bound proves the rest cannot win, otherwise the
 * candidate set is widened.
 */
function tuneGlobal(scores: ScoreMatrix, gold: readonly Int32Array[]): number {
  const stamp = new Int32Array(scores.numLabels);
  let numPositives = 0;
  for (const g of gold) numPositives += g.length;
  if (numPositives === 0) throw new Error('tuneThresholds: the tuning split has no gold labels');
  const hist = new Float64Array(65536);
  let finitePairs = 0;
  for (let d = 0; d < scores.numDocs; d++) {
    const row = scores.row(d);
    for (let l = 0; l < row.length; l++) {
      const key = scoreKey(row[l]!);
      if (key === NEG_INF_KEY) continue;
      hist[key >>> 16]!++;
      finitePairs++;
    }
  }
  // No finite score at all: nothing can be predicted whatever τ is.
  if (finitePairs === 0) return Number.MAX_VALUE;
  for (let cap = Math.max(20 * numPositives, 1024); ; cap *= 4) {
    let cutoffBin = 65535;
    let taken = 0;
    for (; cutoffBin > 0; cutoffBin--) {
      taken += hist[cutoffBin]!;
      if (taken >= cap) break;
    }
    // Collect candidates: key·2 + isGold (< 2^33, exact in a float64), then one native sort.
    const keys = new Float64Array(taken + (cutoffBin === 0 ? hist[0]! : 0));
    let n = 0;
    for (let d = 0; d < scores.numDocs; d++) {
      const row = scores.row(d);
      const s = d + 1;
      for (const l of gold[d]!) stamp[l] = s;
      for (let l = 0; l < row.length; l++) {
        const key = scoreKey(row[l]!);
        if (key === NEG_INF_KEY || key >>> 16 < cutoffBin) continue;
        keys[n++] = key * 2 + (stamp[l] === s ? 1 : 0);
      }
    }
    stamp.fill(0);
    const sorted = keys.subarray(0, n).sort();
    let tp = 0;
    let fp = 0;
    let bestF1 = -1;
    let bestKey = 0;
    let bestIndex = 0;
    for (let i = n - 1; i >= 0; ) {
      const key = Math.floor(sorted[i]! / 2);
      let j = i;
      for (; j >= 0 && Math.floor(sorted[j]! / 2) === key; j--) {
        if (sorted[j]! % 2 === 1) tp++;
        else fp++;
      }
      const f1 = (2 * tp) / (tp + fp + numPositives);
      if (f1 > bestF1) {
        bestF1 = f1;
        bestKey = key;
        bestIndex = j;
      }
      i = j;
    }
    const everything = n >= finitePairs;
    const bound = (2 * numPositives) / (n + numPositives);
    if (everything || bestF1 >= bound) {
      const nextLower = bestIndex >= 0 ? scoreOfKey(Math.floor(sorted[bestIndex]! / 2)) : nextLowerScore(scores, bestKey);
      return midpoint(scoreOfKey(bestKey), nextLower);
    }
  }
}

/** Largest finite score strictly below the one with key `key` (−∞ when none). */
function nextLowerScore(scores: ScoreMatrix, key: number): number {
  let best = NEG_INF_KEY;
  for (let d = 0; d < scores.numDocs; d++) {
    const row = scores.row(d);
    for (let l = 0; l < row.length; l++) {
      const k = scoreKey(row[l]!);
      if (k < key && k > best) best = k;
    }
  }
  return scoreOfKey(best);
}

/** Per-label true/false positive counts at the given thresholds. */
function countsAt(
  scores: ScoreMatrix,
  gold: readonly Int32Array[],
  threshold: (label: number) => number,
): { tp: Int32Array; fp: Int32Array } {
  const tp = new Int32Array(scores.numLabels);
  const fp = new Int32Array(scores.numLabels);
  const stamp = new Int32Array(scores.numLabels);
  for (let d = 0; d < scores.numDocs; d++) {
    const row = scores.row(d);
    for (const l of gold[d]!) stamp[l] = d + 1;
    for (let l = 0; l < row.length; l++) {
      if (!passes(row[l]!, threshold(l))) continue;
      if (stamp[l] === d + 1) tp[l]!++;
      else fp[l]!++;
    }
  }
  return { tp, fp };
}

/** One pass of per-label coordinate ascent on micro-F1 (see TuneOptions.perLabel). */
function tunePerLabel(
  scores: ScoreMatrix,
  gold: readonly Int32Array[],
  global: number,
  minSupport: number,
): { perLabel: Float64Array; tunedLabels: Int32Array } {
  const numLabels = scores.numLabels;
  const numDocs = scores.numDocs;
  const perLabel = new Float64Array(numLabels).fill(global);
  const support = new Int32Array(numLabels);
  let numPositives = 0;
  for (const g of gold) {
    for (const l of g) support[l]!++;
    numPositives += g.length;
  }
  const { tp, fp } = countsAt(scores, gold, () => global);
  let totalTp = tp.reduce((a, b) => a + b, 0);
  let totalFp = fp.reduce((a, b) => a + b, 0);
  const tuned: number[] = [];
  const labelDocs = invertGold(gold, numLabels);
  const docGold = new Uint8Array(numDocs);
  // Blocks of consecutive label ids (not of eligible labels), so a block's columns stay 64 × D.
  const block = 64;
  let columns = new Float32Array(0);
  for (let l0 = 0; l0 < numLabels; l0 += block) {
    const l1 = Math.min(numLabels, l0 + block);
    const labels: number[] = [];
    for (let l = l0; l < l1; l++) if (support[l]! >= minSupport) labels.push(l);
    if (labels.length === 0) continue;
    if (columns.length < (l1 - l0) * numDocs) columns = new Float32Array((l1 - l0) * numDocs);
    scores.columns(l0, l1, columns);
    for (const l of labels) {
      docGold.fill(0);
      for (const d of labelDocs[l]!) docGold[d] = 1;
      const keys = new Float64Array(numDocs);
      let n = 0;
      for (let d = 0; d < numDocs; d++) {
        const key = scoreKey(columns[(l - l0) * numDocs + d]!);
        if (key !== NEG_INF_KEY) keys[n++] = key * 2 + docGold[d]!;
      }
      const sorted = keys.subarray(0, n).sort();
      const restTp = totalTp - tp[l]!;
      const restFp = totalFp - fp[l]!;
      const f1Of = (t: number, f: number) => (2 * (restTp + t)) / (restTp + restFp + t + f + numPositives);
      let bestF1 = f1Of(tp[l]!, fp[l]!);
      let best: { tp: number; fp: number; threshold: number } | null = null;
      let t = 0;
      let f = 0;
      for (let i = n - 1; i >= 0; ) {
        const key = Math.floor(sorted[i]! / 2);
        let j = i;
        for (; j >= 0 && Math.floor(sorted[j]! / 2) === key; j--) {
          if (sorted[j]! % 2 === 1) t++;
          else f++;
        }
        const f1 = f1Of(t, f);
        if (f1 > bestF1 + 1e-12) {
          bestF1 = f1;
          const nextLower = j >= 0 ? scoreOfKey(Math.floor(sorted[j]! / 2)) : Number.NEGATIVE_INFINITY;
          best = { tp: t, fp: f, threshold: midpoint(scoreOfKey(key), nextLower) };
        }
        i = j;
      }
      if (best !== null) {
        totalTp = restTp + best.tp;
        totalFp = restFp + best.fp;
        tp[l] = best.tp;
        fp[l] = best.fp;
        perLabel[l] = best.threshold;
        tuned.push(l);
      }
    }
  }
  return { perLabel, tunedLabels: Int32Array.from(tuned) };
}

/**
 * Chooses thresholds maximising micro-F1 on a **tuning** split (never the split you report).
 * @param gold [D] gold label ids per tuning document (repeats ignored)
 */
export function tuneThresholds(
  scores: ScoreMatrix,
  goldLabels: readonly ArrayLike<number>[],
  options: TuneOptions = {},
): Thresholds {
  const gold = normalizeGold(goldLabels, scores.numDocs, scores.numLabels);
  const global = tuneGlobal(scores, gold);
  if (!options.perLabel) return { global };
  return { global, ...tunePerLabel(scores, gold, global, options.minSupport ?? 5) };
}

/** Predicted labels per document (ascending ids) at the given thresholds. */
export function predict(scores: ScoreMatrix, thresholds: Thresholds): Int32Array[] {
  const out: Int32Array[] = [];
  const picked: number[] = [];
  for (let d = 0; d < scores.numDocs; d++) {
    const row = scores.row(d);
    picked.length = 0;
    if (thresholds.perLabel) {
      for (let l = 0; l < row.length; l++) if (passes(row[l]!, thresholds.perLabel[l]!)) picked.push(l);
    } else {
      const t = thresholds.global;
      for (let l = 0; l < row.length; l++) if (passes(row[l]!, t)) picked.push(l);
    }
    out.push(Int32Array.from(picked));
  }
  return out;
}
