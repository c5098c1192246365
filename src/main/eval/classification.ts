/**
 * Set-based metrics from thresholded predictions: per-label tp / fp / fn, micro-F1, macro-F1.
 *
 * - micro-F1 = 2·ΣTP / (2·ΣTP + ΣFP + ΣFN) over the given labels; null when that is 0/0
 *   (no gold and no prediction at all).
 * - macro-F1 = mean of F1_l over labels with **gold support in the evaluated split**
 *   (F1_l = 2tp / (2tp + fp + fn); 0 for a supported label that is never predicted correctly).
 *   Labels without support are left out even if predicted — their false positives still lower
 *   micro-F1 — because their F1 is 0 or undefined whatever the model does and would swamp the
 *   mean with labels the split cannot judge. null when no label has support.
 */

export interface LabelCounts {
  /** [L] documents whose gold set contains the label. */
  readonly support: Int32Array;
  readonly tp: Int32Array;
  readonly fp: Int32Array;
  readonly fn: Int32Array;
}

/** Counts per label from predicted and gold label sets (both distinct ids per document). */
export function labelCounts(predicted: readonly Int32Array[], gold: readonly Int32Array[], numLabels: number): LabelCounts {
  if (predicted.length !== gold.length) throw new Error(`labelCounts: ${predicted.length} predictions, ${gold.length} gold sets`);
  const support = new Int32Array(numLabels);
  const tp = new Int32Array(numLabels);
  const fp = new Int32Array(numLabels);
  const fn = new Int32Array(numLabels);
  const stamp = new Int32Array(numLabels);
  for (let d = 0; d < gold.length; d++) {
    for (const l of gold[d]!) {
      support[l]!++;
      stamp[l] = d + 1;
    }
    for (const l of predicted[d]!) {
      if (stamp[l] === d + 1) tp[l]!++;
      else fp[l]!++;
    }
  }
  for (let l = 0; l < numLabels; l++) fn[l] = support[l]! - tp[l]!;
  return { support, tp, fp, fn };
}

/** F1 of one label; null when 2tp + fp + fn = 0 (no support, never predicted). */
export function f1Of(tp: number, fp: number, fn: number): number | null {
  const den = 2 * tp + fp + fn;
  return den > 0 ? (2 * tp) / den : null;
}

/** micro-F1 over the labels where `include(l)` (all labels by default). */
export function microF1(counts: LabelCounts, include: (label: number) => boolean = () => true): number | null {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let l = 0; l < counts.tp.length; l++) {
    if (!include(l)) continue;
    tp += counts.tp[l]!;
    fp += counts.fp[l]!;
    fn += counts.fn[l]!;
  }
  return f1Of(tp, fp, fn);
}

/** macro-F1 over supported labels where `include(l)`; see the module comment. */
export function macroF1(counts: LabelCounts, include: (label: number) => boolean = () => true): number | null {
  let sum = 0;
  let n = 0;
  for (let l = 0; l < counts.tp.length; l++) {
    if (!include(l) || counts.support[l]! === 0) continue;
    sum += f1Of(counts.tp[l]!, counts.fp[l]!, counts.fn[l]!)!;
    n++;
  }
  return n > 0 ? sum / n : null;
}
