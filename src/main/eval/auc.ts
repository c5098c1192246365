/**
 * ROC AUC per label and macro-AUC.
 *
 * AUC_l = P(score of a random positive document > score of a random negative one), ties counting
 * ½ — computed as the Mann–Whitney U statistic with average ranks for tied scores:
 * AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊·n₋), R₊ = sum of the positives' 1-based ranks (ascending).
 * A label is eligible when the evaluated split has ≥ 1 positive and ≥ 1 negative document for it;
 * otherwise its AUC is null. macro-AUC = mean over eligible labels; null when none is eligible.
 * NaN scores rank as −∞ (see scores.ts).
 */
import { scoreKey } from './scores';
import type { ScoreMatrix } from './scores';

/** AUC of one label from its scores over documents and the positive-document flags. */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number | null {
  const n = scores.length;
  const keys = new Float64Array(n);
  let numPos = 0;
  for (let d = 0; d < n; d++) {
    const isPos = positive[d] ? 1 : 0;
    numPos += isPos;
    // key·2 + flag < 2^33: exact in a float64, one native ascending sort.
    keys[d] = scoreKey(scores[d]!) * 2 + isPos;
  }
  const numNeg = n - numPos;
  if (numPos === 0 || numNeg === 0) return null;
  keys.sort();
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    const key = Math.floor(keys[i]! / 2);
    let j = i;
    let pos = 0;
    for (; j < n && Math.floor(keys[j]! / 2) === key; j++) pos += keys[j]! % 2;
    // Ranks i+1 … j share their average (i + 1 + j) / 2.
    rankSum += (pos * (i + 1 + j)) / 2;
    i = j;
  }
  return (rankSum - (numPos * (numPos + 1)) / 2) / (numPos * numNeg);
}

/**
 * [L] AUC per label (null where not eligible), reading the score matrix a block of labels at a
 * time so memory stays at block × D floats.
 * @param labelDocs [L] positive documents of each label (ascending)
 */
export function perLabelAuc(scores: ScoreMatrix, labelDocs: readonly Int32Array[], blockLabels = 256): (number | null)[] {
  const numDocs = scores.numDocs;
  const out: (number | null)[] = new Array(scores.numLabels).fill(null);
  const positive = new Uint8Array(numDocs);
  let columns = new Float32Array(0);
  for (let l0 = 0; l0 < scores.numLabels; l0 += blockLabels) {
    const l1 = Math.min(scores.numLabels, l0 + blockLabels);
    let any = false;
    for (let l = l0; l < l1 && !any; l++) any = labelDocs[l]!.length > 0 && labelDocs[l]!.length < numDocs;
    if (!any) continue; // nothing eligible in this block: skip the transposition
    if (columns.length < (l1 - l0) * numDocs) columns = new Float32Array((l1 - l0) * numDocs);
    scores.columns(l0, l1, columns);
    for (let l = l0; l < l1; l++) {
      const docs = labelDocs[l]!;
      if (docs.length === 0 || docs.length === numDocs) continue;
      for (const d of docs) positive[d] = 1;
      out[l] = rocAuc(columns.subarray((l - l0) * numDocs, (l - l0 + 1) * numDocs), positive);
      for (const d of docs) positive[d] = 0;
    }
  }
  return out;
}

/** Mean of the non-null values where `include(l)`; null when there are none. */
export function macroAuc(auc: readonly (number | null)[], include: (label: number) => boolean = () => true): number | null {
  let sum = 0;
  let n = 0;
  auc.forEach((a, l) => {
    if (a !== null && include(l)) {
      sum += a;
      n++;
    }
  });
  return n > 0 ? sum / n : null;
}
