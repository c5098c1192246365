/**
 * What the queue keeps of a model's scores for one document (issue #15): its best labels and how
 * unsure the model is about it. Pure, so the pool can be summarised in a worker thread and only
 * these few numbers per document cross back to the host.
 */
/** Scores kept per document: its TOP_K best labels, and how unsure the model is about it. */
export interface DocScores {
  /** [K] model label indices, best score first. */
  labels: Int32Array;
  /** [K] their scores. */
  scores: Float32Array;
  /** See `uncertainty`: the value and the most uncertain label with its score. */
  uncertainty: number;
  uncertainLabel: number;
  uncertainScore: number;
}

/**
 * How many label scores a document keeps. The full rows ([D × L] float32) were 30 GB at 250,000
 * documents × 30,000 model labels; the orders only need each document's best labels.
 */
export const TOP_K = 32;

/** Reduces a full score row to what the queue orders use. */
export function summarise(row: Float32Array, thresholds: number | ArrayLike<number>, k = TOP_K): DocScores {
  const n = Math.min(k, row.length);
  const labels = new Int32Array(n).fill(-1);
  const scores = new Float32Array(n).fill(-Infinity);
  for (let l = 0; l < row.length; l++) {
    const s = row[l]!;
    if (!(s > scores[n - 1]!)) continue;
    let at = n - 1;
    while (at > 0 && scores[at - 1]! < s) {
      scores[at] = scores[at - 1]!;
      labels[at] = labels[at - 1]!;
      at--;
    }
    scores[at] = s;
    labels[at] = l;
  }
  const u = uncertainty(row, thresholds);
  return { labels, scores, uncertainty: u.value, uncertainLabel: u.label, uncertainScore: u.label >= 0 ? row[u.label]! : 0 };
}

/**
 * How unsure the model is about a document: the mean binary entropy of its three most uncertain
 * labels, with each score first mapped so its label's tuned threshold sits at ½ (a label scored
 * right at its threshold is the least certain). `threshold` is one for all labels or one per
 * label. Returns the entropy in [0, 1] and the most uncertain label.
 */
export function uncertainty(scores: Float32Array, threshold: number | ArrayLike<number>): { value: number; label: number } {
  const top = [0, 0, 0];
  let label = -1;
  let best = -1;
  for (let l = 0; l < scores.length; l++) {
    const s = scores[l]!;
    if (!(s > 0)) continue;
    const t = Math.min(0.99, Math.max(0.01, typeof threshold === 'number' ? threshold : threshold[l]!));
    const p = s >= t ? 0.5 + (0.5 * (s - t)) / (1 - t) : (0.5 * s) / t;
    const h = p <= 0 || p >= 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
    if (h > best) {
      best = h;
      label = l;
    }
    if (h > top[2]!) {
      top[2] = h;
      top.sort((a, b) => b - a);
    }
  }
  return { value: (top[0]! + top[1]! + top[2]!) / 3, label };
}

