/**
 * NDCG for monitoring Stage B (pure JS). Gains are linear (gain = grade), discount 1/log2(1 + rank),
 * rank 1-based; the ideal DCG uses the *sorted* grades (not the order they came in).
 */

/** Ideal DCG@k of one list's grades (k = Infinity for the full list). */
export function idealDcg(grades: ArrayLike<number>, k = Infinity): number {
  const sorted = Array.from(grades).sort((a, b) => b - a);
  let dcg = 0;
  for (let i = 0; i < Math.min(k, sorted.length); i++) dcg += sorted[i]! / Math.log2(i + 2);
  return dcg;
}

/**
 * NDCG@k of one list: items ranked by `scores` descending (ties broken by position, stable).
 * Returns 0 for a list whose ideal DCG is 0.
 */
export function ndcgAtK(scores: ArrayLike<number>, grades: ArrayLike<number>, k: number): number {
  if (scores.length !== grades.length) throw new Error(`ndcgAtK: ${scores.length} scores for ${grades.length} grades`);
  // order is a permutation of the indices of scores (= those of grades)
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  let dcg = 0;
  for (let r = 0; r < Math.min(k, order.length); r++) dcg += grades[order[r]!]! / Math.log2(r + 2);
  const ideal = idealDcg(grades, k);
  return ideal > 0 ? dcg / ideal : 0;
}

/**
 * Mean NDCG@k over (doc, label) lists of a scores tensor [B, Ls, T] with grades [B, Ls, T] and a
 * token mask [B, T] (pads excluded); lists whose ideal DCG is 0 are skipped.
 */
export function meanNdcgAtK(scores: Float32Array, grades: Float32Array, mask: Float32Array, dims: readonly [number, number, number], k: number): number {
  const [B, Ls, T] = dims;
  if (scores.length !== B * Ls * T || grades.length !== B * Ls * T || mask.length !== B * T) {
    throw new Error(`meanNdcgAtK: dims [${dims.join(', ')}] but ${scores.length} scores, ${grades.length} grades, ${mask.length} mask values`);
  }
  // the lengths are checked above, so every index below is in range
  let sum = 0;
  let n = 0;
  for (let b = 0; b < B; b++) {
    const valid: number[] = [];
    for (let t = 0; t < T; t++) if (mask[b * T + t]! > 0) valid.push(t);
    for (let l = 0; l < Ls; l++) {
      const off = (b * Ls + l) * T;
      const gr = valid.map((t) => grades[off + t]!);
      if (idealDcg(gr, k) <= 0) continue;
      sum += ndcgAtK(valid.map((t) => scores[off + t]!), gr, k);
      n += 1;
    }
  }
  return n > 0 ? sum / n : 0;
}
