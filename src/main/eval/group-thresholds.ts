/**
 * One decision threshold per group of labels (Planter groups by training frequency: zero, few,
 * mid, head), chosen by coordinate ascent on the tuning split's micro-F1 from the global
 * threshold. Scores of rare labels sit on another scale than those of frequent ones, so a single
 * threshold, set where the frequent labels hold most positives, never lets a rare label through
 * (few-shot F1 was exactly 0 on CodiEsp). Tuning each group for its own F1 instead lowered the
 * overall micro-F1; ascending on the one objective cannot: a group's threshold moves only when
 * the tuning micro-F1 strictly improves.
 */
import { BUCKETS, bucketOf } from './buckets';
import { normalizeGold, ScoreMatrix, type DocScores } from './scores';
import { tuneThresholds, type Thresholds } from './thresholds';

interface GroupScores {
  /** Finite-or-+∞ scores of gold pairs in the group, ascending. */
  pos: Float32Array;
  /** Finite-or-+∞ scores of the other pairs in the group, ascending. */
  neg: Float32Array;
}

/** Number of values ≥ t in an ascending array. */
function countAtLeast(sorted: Float32Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! >= t) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}

/** Largest value < t in an ascending array (−∞ when none). */
function largestBelow(sorted: Float32Array, t: number): number {
  const i = sorted.length - countAtLeast(sorted, t) - 1;
  return i >= 0 ? sorted[i]! : Number.NEGATIVE_INFINITY;
}

function collect(scores: ScoreMatrix, gold: readonly Int32Array[], groupOf: ArrayLike<number>, numGroups: number): GroupScores[] {
  const posCount = new Int32Array(numGroups);
  const negCount = new Int32Array(numGroups);
  const stamp = new Int32Array(scores.numLabels);
  const visit = (each: (group: number, isGold: boolean, score: number) => void): void => {
    for (let d = 0; d < scores.numDocs; d++) {
      const row = scores.row(d);
      for (const l of gold[d]!) stamp[l] = d + 1;
      for (let l = 0; l < row.length; l++) {
        const s = row[l]!;
        if (!(s > Number.NEGATIVE_INFINITY)) continue; // −∞ and NaN never pass
        each(groupOf[l]!, stamp[l] === d + 1, s);
      }
    }
    stamp.fill(0);
  };
  visit((g, isGold) => (isGold ? posCount[g]!++ : negCount[g]!++));
  const out = Array.from({ length: numGroups }, (_, g) => ({ pos: new Float32Array(posCount[g]!), neg: new Float32Array(negCount[g]!) }));
  posCount.fill(0);
  negCount.fill(0);
  visit((g, isGold, s) => {
    if (isGold) out[g]!.pos[posCount[g]!++] = s;
    else out[g]!.neg[negCount[g]!++] = s;
  });
  for (const g of out) {
    g.pos.sort();
    g.neg.sort();
  }
  return out;
}

/**
 * @param groupOf [L] group index of each label, in [0, numGroups).
 * @returns thresholds whose `perLabel` holds each label's group threshold (groups that never
 *   improved the tuning micro-F1 keep the global one).
 */
export function tuneGroupThresholds(scores: ScoreMatrix, goldLabels: readonly ArrayLike<number>[], groupOf: ArrayLike<number>, numGroups: number, passes = 2): Thresholds {
  const L = scores.numLabels;
  if (groupOf.length !== L) throw new Error(`tuneGroupThresholds: ${groupOf.length} group ids for ${L} labels`);
  const gold = normalizeGold(goldLabels, scores.numDocs, L);
  const { global } = tuneThresholds(scores, gold);
  let numPositives = 0;
  for (const g of gold) numPositives += g.length;
  const groups = collect(scores, gold, groupOf, numGroups);
  const threshold = new Float64Array(numGroups).fill(global);
  const tp = groups.map((g) => countAtLeast(g.pos, global));
  const fp = groups.map((g) => countAtLeast(g.neg, global));
  const f1 = (t: number, f: number): number => (2 * t) / (t + f + numPositives);
  for (let pass = 0; pass < passes; pass++) {
    let moved = false;
    for (let k = 0; k < numGroups; k++) {
      const { pos, neg } = groups[k]!;
      const tpOthers = tp.reduce((a, x) => a + x, 0) - tp[k]!;
      const fpOthers = fp.reduce((a, x) => a + x, 0) - fp[k]!;
      let best = f1(tpOthers + tp[k]!, fpOthers + fp[k]!);
      let pick: { cut: number | null; tp: number; fp: number } | null = null;
      // Predicting nothing in this group.
      if (f1(tpOthers, fpOthers) > best) {
        best = f1(tpOthers, fpOthers);
        pick = { cut: null, tp: 0, fp: 0 };
      }
      // Cuts at each distinct positive score, highest first (ties keep the higher threshold).
      for (let i = pos.length - 1; i >= 0; ) {
        const s = pos[i]!;
        let j = i;
        while (j >= 0 && pos[j] === s) j--;
        const t = pos.length - 1 - j;
        const f = countAtLeast(neg, s);
        const value = f1(tpOthers + t, fpOthers + f);
        if (value > best) {
          best = value;
          pick = { cut: s, tp: t, fp: f };
        }
        i = j;
      }
      if (!pick) continue;
      moved = true;
      tp[k] = pick.tp;
      fp[k] = pick.fp;
      threshold[k] = pick.cut === null ? aboveAll(pos, neg) : between(pick.cut, Math.max(largestBelow(pos, pick.cut), largestBelow(neg, pick.cut)));
    }
    if (!moved) break;
  }
  const perLabel = new Float64Array(L);
  for (let l = 0; l < L; l++) perLabel[l] = threshold[groupOf[l]!]!;
  return { global, perLabel };
}

/** Halfway to the next lower score, so the cut does not sit on a tuning score (JSON-safe). */
function between(included: number, nextLower: number): number {
  const t = nextLower === Number.NEGATIVE_INFINITY ? included : (included + nextLower) / 2;
  return t === Number.POSITIVE_INFINITY ? Number.MAX_VALUE : t;
}

/** A threshold no score of the group reaches. */
function aboveAll(pos: Float32Array, neg: Float32Array): number {
  const top = Math.max(pos.length ? pos[pos.length - 1]! : Number.NEGATIVE_INFINITY, neg.length ? neg[neg.length - 1]! : Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(top)) return Number.MAX_VALUE;
  return top >= 0 ? top * (1 + 1e-6) + 1e-30 : top * (1 - 1e-6);
}

/** Group thresholds with the training-frequency buckets (zero, 1–5, 6–50, > 50) as groups. */
export function bucketThresholds(scores: readonly DocScores[], gold: readonly ArrayLike<number>[], trainFreq: ArrayLike<number>): Thresholds {
  const L = trainFreq.length;
  const groupOf = Int32Array.from({ length: L }, (_, l) => BUCKETS.indexOf(bucketOf(trainFreq[l]!)));
  return tuneGroupThresholds(new ScoreMatrix(scores, L), gold, groupOf, BUCKETS.length);
}
