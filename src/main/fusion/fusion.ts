/**
 * The fusion: a logistic model over each candidate pair's features (features.ts), fitted on the
 * tuning half, whose output is the probability shown to the coder. Fitted by maximum likelihood
 * on held-out documents, it is calibrated by construction; ECE on the evaluation half checks it.
 * Labels outside a document's candidates get probability 0 (the ranker saw no evidence for them).
 */
import type { Candidates } from '../lexical/model';
import { attentionRanks, fusionFeatureNames, FUSION_FEATURES_VERSION, pairFeatures } from './features';
import { fitLogistic, predictLogistic } from './logistic';

export interface FusionModel {
  version: typeof FUSION_FEATURES_VERSION;
  withAttention: boolean;
  /** The candidates carry the nearest training documents' votes (Candidates.knn). */
  withNeighbours?: true;
  /** The attention logit's rank in the document is a feature too (features.ts; absent in models before it). */
  withAttentionRank?: true;
  names: string[];
  theta: number[];
  /**
   * Labels whose attention rows are not trained yet (new to a warm-started model): their pairs
   * are fused as if there were no attention logit, so a random row cannot bury a fresh label.
   */
  noAttention?: number[];
}

/** One document's candidates and, for the fused model, the attention logit of each. */
export interface ScoredCandidates {
  candidates: Candidates;
  attention?: Float32Array;
}

interface FeatureSet {
  withAttention: boolean;
  withNeighbours: boolean;
  withAttentionRank: boolean;
}

function rowsOf(doc: ScoredCandidates, trainFreq: ArrayLike<number>, set: FeatureSet, d: number, noAttention: ReadonlySet<number>): Float64Array {
  const c = doc.candidates;
  const n = c.labels.length;
  const x = new Float64Array(n * d);
  const hasAttention = (i: number): boolean => set.withAttention && !noAttention.has(c.labels[i]!);
  const attention = doc.attention ?? new Float32Array(n);
  const attRank = set.withAttention && set.withAttentionRank ? attentionRanks(attention, (i) => !hasAttention(i)) : null;
  let rank = 0;
  for (let i = 0; i < n; i++) {
    const ranked = Number.isFinite(c.lexRaw[i]!);
    pairFeatures(
      { lexRaw: c.lexRaw[i]!, lexScore: c.lexScore[i]!, lexRank: ranked ? rank++ : -1, desc: c.desc[i]!, ...(hasAttention(i) ? { attention: attention[i] ?? 0 } : {}), trainFreq: trainFreq[c.labels[i]!] ?? 0, knn: c.knn?.[i] ?? 0, ...(attRank ? { attentionRank: attRank[i]! } : {}) },
      set.withAttention,
      x,
      i * d,
      set.withNeighbours,
      set.withAttentionRank,
    );
  }
  return x;
}

const featureSetOf = (m: Pick<FusionModel, 'withAttention' | 'withNeighbours' | 'withAttentionRank'>): FeatureSet => ({ withAttention: m.withAttention, withNeighbours: Boolean(m.withNeighbours), withAttentionRank: m.withAttention && Boolean(m.withAttentionRank) });

/**
 * Fits the fusion on documents with gold labels (the tuning half). `withAttentionRank` defaults to true for a fused model whose attention has a row for every
 * label (false reproduces models stored before it). While some labels have no trained row
 * (`noAttention`: a few-shot refresh before the attention catches up), a place among the
 * document's candidates is not defined, and ranking only the others hands the top place to a
 * trained label even where a fresh one is right (train-plant.test.ts, "re-plants"): the feature
 * waits for the attention refresh.
 */
export function fitFusion(docs: readonly ScoredCandidates[], gold: readonly (readonly number[])[], trainFreq: ArrayLike<number>, withAttention: boolean, o: { lambda?: number; noAttention?: readonly number[]; withNeighbours?: boolean; withAttentionRank?: boolean } = {}): FusionModel & { pairs: number; positives: number } {
  const withNeighbours = o.withNeighbours ?? false;
  const withAttentionRank = withAttention && (o.withAttentionRank ?? !o.noAttention?.length);
  const set: FeatureSet = { withAttention, withNeighbours, withAttentionRank };
  const names = fusionFeatureNames(withAttention, withNeighbours, withAttentionRank);
  const d = names.length;
  const lambda = o.lambda ?? 1;
  const noAttention = new Set(o.noAttention ?? []);
  const extra = { ...(noAttention.size ? { noAttention: [...noAttention].sort((a, b) => a - b) } : {}), ...(withNeighbours ? { withNeighbours: true as const } : {}), ...(withAttentionRank ? { withAttentionRank: true as const } : {}) };
  const parts: Float64Array[] = [];
  const ys: number[] = [];
  docs.forEach((doc, i) => {
    const g = new Set(gold[i]);
    if (g.size === 0) return;
    parts.push(rowsOf(doc, trainFreq, set, d, noAttention));
    for (const l of doc.candidates.labels) ys.push(g.has(l) ? 1 : 0);
  });
  const x = new Float64Array(ys.length * d);
  let off = 0;
  for (const p of parts) {
    x.set(p, off);
    off += p.length;
  }
  const y = Uint8Array.from(ys);
  if (ys.length === 0 || !ys.some((v) => v === 1)) {
    // No candidate was ever right on the tuning half: nothing to fit; the ranker's order stands.
    const theta = new Array<number>(d).fill(0);
    theta[0] = -6;
    theta[3] = 1;
    return { version: FUSION_FEATURES_VERSION, withAttention, names, theta, ...extra, pairs: ys.length, positives: 0 };
  }
  const fit = fitLogistic({ x, d, y }, { lambda });
  return { version: FUSION_FEATURES_VERSION, withAttention, names, theta: Array.from(fit.theta), ...extra, pairs: ys.length, positives: ys.filter((v) => v === 1).length };
}

/** Probabilities of one document's candidates. */
export function fuse(model: FusionModel, doc: ScoredCandidates, trainFreq: ArrayLike<number>): Float32Array {
  const d = model.names.length;
  const x = rowsOf(doc, trainFreq, featureSetOf(model), d, new Set(model.noAttention ?? []));
  const n = doc.candidates.labels.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = predictLogistic(model.theta, x.subarray(i * d, (i + 1) * d));
  return out;
}

/** [L] probabilities with 0 outside the candidates (what the evaluation code reads). */
export function denseProbabilities(numLabels: number, labels: ArrayLike<number>, probs: ArrayLike<number>): Float32Array {
  const out = new Float32Array(numLabels);
  for (let i = 0; i < labels.length; i++) out[labels[i]!] = Math.max(out[labels[i]!]!, probs[i]!);
  return out;
}

/** Checks a stored fusion model (from model.json or a bundle). */
export function checkFusionModel(v: unknown): FusionModel {
  const m = v as Partial<FusionModel> | null;
  if (!m || m.version !== FUSION_FEATURES_VERSION) throw new Error(`fusion: unsupported version ${String(m?.version)}`);
  const withNeighbours = m.withNeighbours === true;
  const withAttentionRank = Boolean(m.withAttention) && m.withAttentionRank === true;
  const names = fusionFeatureNames(Boolean(m.withAttention), withNeighbours, withAttentionRank);
  if (!Array.isArray(m.theta) || m.theta.length !== names.length || !m.theta.every(Number.isFinite)) throw new Error(`fusion: expected ${names.length} finite weights`);
  if (!Array.isArray(m.names) || m.names.join() !== names.join()) throw new Error('fusion: feature names do not match this version');
  if (m.noAttention !== undefined && (!Array.isArray(m.noAttention) || !m.noAttention.every((l) => Number.isInteger(l) && l >= 0))) throw new Error('fusion: noAttention must list label indices');
  return { version: FUSION_FEATURES_VERSION, withAttention: Boolean(m.withAttention), ...(withNeighbours ? { withNeighbours: true as const } : {}), ...(withAttentionRank ? { withAttentionRank: true as const } : {}), names, theta: m.theta, ...(m.noAttention?.length ? { noAttention: m.noAttention } : {}) };
}
