/**
 * Ranking metrics at k (PLANT.md §3): P@k, nDCG@k, PSP@k.
 *
 * - P@k = |top-k ∩ gold| / k (the divisor is k even when |gold| < k; standard XMC definition).
 * - nDCG@k: binary gains, discount 1 / log2(rank + 1) for ranks 1…k; IDCG over min(k, |gold|)
 *   ideal hits.
 * - PSP@k (Jain, Prabhu, Varma 2016), normalised as in pyxclib / the XMC repository:
 *   PSP@k = Σ_docs Σ_{top-k} gold_l / p_l  ÷  Σ_docs (best achievable: the min(k, |gold|) largest
 *   1 / p_l among the doc's gold labels). A ratio of sums over documents, not a mean of per-document
 *   ratios, so it lies in [0, 1] and documents with many rare gold labels weigh more.
 * - Documents without gold labels (in the evaluated label subset) are skipped by all three: no
 *   ranking can be right or wrong for them. They still count for F1 and AUC.
 */
import { topKOf } from './scores';
import type { DocScores, ScoreMatrix } from './scores';

export const DEFAULT_PROPENSITY_A = 0.55;
export const DEFAULT_PROPENSITY_B = 1.5;

/**
 * Inverse propensities 1 / p_l, with p_l = 1 / (1 + C·e^(−A·ln(N_l + B))), C = (ln N − 1)(B + 1)^A
 * (natural logs, as in pyxclib). N = number of training documents, N_l = label l's training count.
 * For N < 3 (ln N − 1 < 0) the formula gives p_l > 1; 1/p_l is clamped to ≥ 1 (no boost).
 */
export function inversePropensities(
  trainFreq: ArrayLike<number>,
  numTrainDocs: number,
  a = DEFAULT_PROPENSITY_A,
  b = DEFAULT_PROPENSITY_B,
): Float64Array {
  const c = (Math.log(numTrainDocs) - 1) * Math.pow(b + 1, a);
  const out = new Float64Array(trainFreq.length);
  for (let l = 0; l < out.length; l++) out[l] = Math.max(1, 1 + c * Math.exp(-a * Math.log(trainFreq[l]! + b)));
  return out;
}

/** Cut-offs reported (P@1/3/5, …). */
export const KS = [1, 3, 5] as const;
export type K = (typeof KS)[number];
const MAX_K = Math.max(...KS);

export interface RankingMetrics {
  /** Per k in KS; null when no document had a gold label. */
  readonly precision: Record<K, number | null>;
  readonly ndcg: Record<K, number | null>;
  readonly psp: Record<K, number | null>;
  /** Documents that counted (had ≥ 1 gold label in the subset). */
  readonly docs: number;
}

const DISCOUNT = Array.from({ length: 64 }, (_, i) => 1 / Math.log2(i + 2)); // rank i+1 → 1/log2(i+2)

/**
 * The running sums behind P@k, nDCG@k and PSP@k, one document at a time: what a streamed
 * evaluation keeps instead of the score matrix (memory O(L), independent of the documents).
 */
export class RankingSums {
  readonly #hits = KS.map(() => 0);
  readonly #dcg = KS.map(() => 0);
  readonly #pspNum = KS.map(() => 0);
  readonly #pspDen = KS.map(() => 0);
  #docs = 0;
  #stamp = 0;
  readonly #goldStamp: Int32Array;
  readonly #goldInv: number[] = [];

  /**
   * @param invPropensity [L] from `inversePropensities`
   * @param allowed optional [L] mask restricting both the ranking and the gold labels to a subset
   *   (used for frequency buckets)
   */
  constructor(
    numLabels: number,
    private readonly invPropensity: Float64Array,
    private readonly allowed?: Uint8Array,
  ) {
    this.#goldStamp = new Int32Array(numLabels);
  }

  /** Adds one document: its scores (dense [L] or sparse) and its gold label ids (distinct). */
  add(row: DocScores, gold: ArrayLike<number>): void {
    const { invPropensity, allowed } = this;
    const stamp = ++this.#stamp;
    const goldInv = this.#goldInv;
    goldInv.length = 0;
    for (let i = 0; i < gold.length; i++) {
      const l = gold[i]!;
      if (allowed !== undefined && allowed[l] === 0) continue;
      this.#goldStamp[l] = stamp;
      goldInv.push(invPropensity[l]!);
    }
    const numGold = goldInv.length;
    if (numGold === 0) return;
    this.#docs++;
    goldInv.sort((x, y) => y - x);
    const top = topKOf(row, MAX_K, allowed);
    KS.forEach((k, ki) => {
      let h = 0;
      let g = 0;
      let p = 0;
      for (let i = 0; i < Math.min(k, top.length); i++) {
        const l = top[i]!;
        if (this.#goldStamp[l] !== stamp) continue;
        h++;
        g += DISCOUNT[i]!;
        p += invPropensity[l]!;
      }
      let idcg = 0;
      let best = 0;
      for (let i = 0; i < Math.min(k, numGold); i++) {
        idcg += DISCOUNT[i]!;
        best += goldInv[i]!;
      }
      this.#hits[ki]! += h / k;
      this.#dcg[ki]! += g / idcg;
      this.#pspNum[ki]! += p;
      this.#pspDen[ki]! += best;
    });
  }

  metrics(): RankingMetrics {
    const docs = this.#docs;
    const perK = (f: (ki: number) => number | null) =>
      Object.fromEntries(KS.map((k, ki) => [k, f(ki)])) as Record<K, number | null>;
    return {
      precision: perK((ki) => (docs > 0 ? this.#hits[ki]! / docs : null)),
      ndcg: perK((ki) => (docs > 0 ? this.#dcg[ki]! / docs : null)),
      psp: perK((ki) => (docs > 0 && this.#pspDen[ki]! > 0 ? Math.min(1, this.#pspNum[ki]! / this.#pspDen[ki]!) : null)),
      docs,
    };
  }
}

/**
 * P@k, nDCG@k and PSP@k over all documents.
 * @param gold [D] gold label ids per document (distinct)
 * @param invPropensity [L] from `inversePropensities`
 * @param allowed optional [L] mask restricting both the ranking and the gold labels to a subset
 *   (used for frequency buckets)
 */
export function rankingMetrics(
  scores: ScoreMatrix,
  gold: readonly Int32Array[],
  invPropensity: Float64Array,
  allowed?: Uint8Array,
): RankingMetrics {
  const sums = new RankingSums(scores.numLabels, invPropensity, allowed);
  for (let d = 0; d < scores.numDocs; d++) sums.add(scores.row(d), gold[d]!);
  return sums.metrics();
}
