/**
 * What the fusion sees of one (document, candidate label) pair: the lexical ranker's scores, the
 * label's description cosine, the attention model's logit (when there is one) and the label's
 * training frequency, with interactions by training-frequency bucket, so rare labels can lean on
 * attention and descriptions while frequent ones lean on the linear model. Named and versioned:
 * the model card and the exported bundle list them, and a reader recomputes them exactly.
 */

export const FUSION_FEATURES_VERSION = 1;

export interface PairScores {
  /** Ranker linear score w·x + b (NaN: not from the ranker, i.e. a zero-shot candidate). */
  lexRaw: number;
  /** Ranker path score in (0, 1] (0 when not from the ranker). */
  lexScore: number;
  /** 0-based position among the ranker's candidates (−1 when not from the ranker). */
  lexRank: number;
  /** Cosine of the document to the label's description. */
  desc: number;
  /** The attention model's logit (absent for the lexical-only model). */
  attention?: number;
  /** Training documents of the label. */
  trainFreq: number;
  /** The nearest training documents' vote for the label (neighbours.ts), 0 when none carries it. */
  knn?: number;
  /**
   * 0-based position of the pair's attention logit among the document's candidates, highest
   * first (attentionRanks); 0 for a pair without an attention logit.
   */
  attentionRank?: number;
}

const clip = (v: number, a: number): number => Math.max(-a, Math.min(a, v));

/**
 * The feature names for a fusion with or without attention, in order (index 0 is the intercept).
 * `withAttentionRank` (fused models since 2026-12-04) adds the attention logit's log rank in the
 * document beside the logit itself, as the ranker has both its score and its rank: label-wise
 * attention gives each label its own output scale, so a logit says less across labels than its
 * place among the document's candidates (P@5 +1.9 at CodiEsp-500, +0.15 at EURLEX57K-45,000 in
 * bench/experiments/fusion-replay.ts "att-rank"). Models stored before it keep their features.
 */
export function fusionFeatureNames(withAttention: boolean, withNeighbours = false, withAttentionRank = false): string[] {
  const names = ['intercept', 'lex_raw', 'lex_ranked', 'lex_log_path', 'lex_log_rank', 'desc_cosine', 'log1p_train_freq', 'zero', 'few', 'mid', 'few×lex_raw', 'mid×lex_raw', 'zero×desc', 'few×desc'];
  if (withAttention) names.push('attention', 'zero×attention', 'few×attention', 'mid×attention');
  if (withNeighbours) names.push('knn', 'knn_log', 'few×knn', 'mid×knn');
  if (withAttention && withAttentionRank) names.push('attention_log_rank', 'zero×attention_log_rank', 'few×attention_log_rank', 'mid×attention_log_rank');
  return names;
}

/**
 * Position of each candidate's attention logit among the document's, highest first (ties: the
 * earlier candidate). Candidates without a logit (`skip`) are left out of the order and get 0,
 * so that, like their absent logit, their rank features are 0: an untrained attention row
 * cannot bury a label that has just got its first examples.
 */
export function attentionRanks(attention: ArrayLike<number>, skip: (i: number) => boolean = () => false): Float64Array {
  const n = attention.length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!skip(i)) order.push(i);
  order.sort((a, b) => attention[b]! - attention[a]! || a - b);
  const out = new Float64Array(n);
  order.forEach((i, r) => (out[i] = r));
  return out;
}

/** Writes the features of one pair into out (length fusionFeatureNames(withAttention, withNeighbours, withAttentionRank).length). */
export function pairFeatures(p: PairScores, withAttention: boolean, out: Float64Array, at = 0, withNeighbours = false, withAttentionRank = false): void {
  const ranked = Number.isFinite(p.lexRaw) ? 1 : 0;
  const raw = ranked ? clip(p.lexRaw, 4) : 0;
  const zero = p.trainFreq === 0 ? 1 : 0;
  const few = p.trainFreq >= 1 && p.trainFreq <= 5 ? 1 : 0;
  const mid = p.trainFreq >= 6 && p.trainFreq <= 50 ? 1 : 0;
  const f = [1, raw, ranked, ranked ? Math.log(Math.max(p.lexScore, 1e-6)) : Math.log(1e-6), ranked ? Math.log1p(p.lexRank) : Math.log1p(1000), p.desc, Math.log1p(p.trainFreq), zero, few, mid, few * raw, mid * raw, zero * p.desc, few * p.desc];
  if (withAttention) {
    const a = clip(p.attention ?? 0, 12);
    f.push(a, zero * a, few * a, mid * a);
  }
  if (withNeighbours) {
    const v = p.knn ?? 0;
    f.push(v, Math.log(v + 0.01), few * v, mid * v);
  }
  if (withAttention && withAttentionRank) {
    const r = Math.log1p(p.attentionRank ?? 0);
    f.push(r, zero * r, few * r, mid * r);
  }
  for (let j = 0; j < f.length; j++) out[at + j] = f[j]!;
}
