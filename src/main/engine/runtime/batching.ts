import { at } from '../graph/checked';
import { idealDcg } from '../metrics/ndcg';
import type { ModelSpec } from '../models/index';
import { Rng } from '../rng';
import type { Batch } from './types';

/**
 * Training data as the pipeline hands it over: documents already tokenised to ids (no pads,
 * pad id 0 never appears inside a document), truncated or chunked to at most `maxLen`.
 */
export interface TrainingData {
  docs: Int32Array[];
  /** Label ids per document (classifier targets; L2R lists). */
  labels?: Int32Array[];
  /** L2R relevance grades G [V, L] row-major (token-major), 1…101 (PLANT Stage A'). */
  grades?: Uint8Array;
  /**
   * Classifier with sampled labels: per document, wrong labels that join its batch before the
   * random negatives (the lexical ranker's best-ranked wrong labels: hard negatives).
   */
  hardNegatives?: Int32Array[];
}

export interface BatchOptions {
  batchSize: number;
  /** T: documents are cut to this many tokens; shorter batches are padded only to their longest doc. */
  maxLen: number;
  /** Classifier: label rows per batch (positives + shared random negatives); absent = all labels. L2R: lists per doc (default 32). */
  sampledLabels?: number;
  /** Pretraining: share of positions masked (default 0.15), [MASK] id, negatives per batch (default 64). */
  maskRate?: number;
  maskId?: number;
  negatives?: number;
  /**
   * Pretraining: cumulative distribution [V] to draw negatives from (e.g. unigram^0.75, as in
   * word2vec). Uniform negatives are mostly rare tokens, which any frequency prior beats.
   */
  negativeCdf?: Float32Array;
}

export const stepsPerEpoch = (data: TrainingData, o: BatchOptions): number => Math.ceil(data.docs.length / o.batchSize);

/** Mixes seed and step into an independent stream seed, so batch s is a pure function of (seed, s). */
const mix = (seed: number, s: number): number => (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(s + 1, 0x165667b1)) >>> 0;

/** Document indices of global step `step`: each epoch is a seeded permutation (so resuming at a step reproduces it). */
export function batchDocs(n: number, o: BatchOptions, seed: number, step: number): number[] {
  const per = Math.ceil(n / o.batchSize);
  const epoch = Math.floor(step / per);
  const perm = Array.from({ length: n }, (_, i) => i);
  new Rng(mix(seed, -1 - epoch)).shuffle(perm);
  const k = step % per;
  return perm.slice(k * o.batchSize, Math.min(n, (k + 1) * o.batchSize));
}

function padDocs(data: TrainingData, idx: number[], maxLen: number): { tokens: BigInt64Array; mask: Float32Array; T: number } {
  const docs = idx.map((i) => at(data.docs, i, 'training documents'));
  const T = Math.max(1, Math.min(maxLen, Math.max(...docs.map((d) => d.length))));
  const tokens = new BigInt64Array(idx.length * T);
  const mask = new Float32Array(idx.length * T);
  docs.forEach((d, b) => {
    for (let t = 0; t < Math.min(T, d.length); t++) {
      tokens[b * T + t] = BigInt(d[t]!); // t < d.length
      mask[b * T + t] = 1;
    }
  });
  return { tokens, mask, T };
}

/**
 * Positives of the batch, then the given hard negatives (in order, while room is left), then
 * random other labels up to `n` (all positives are always kept).
 */
export function sampleLabels(rng: Rng, positives: Set<number>, L: number, n: number, hard: readonly number[] = []): number[] {
  const out = [...positives].sort((a, b) => a - b);
  const want = Math.min(L, Math.max(n, out.length));
  const taken = new Set(out);
  for (const l of hard) {
    if (out.length >= want) break;
    if (!taken.has(l)) {
      taken.add(l);
      out.push(l);
    }
  }
  while (out.length < want) {
    const l = rng.int(L);
    if (!taken.has(l)) {
      taken.add(l);
      out.push(l);
    }
  }
  return out;
}

/**
 * Inverted-dropout multipliers: 0 with probability `p`, else 1/(1−p), so the expected value is
 * unchanged and inference needs no rescaling. Own stream, so the rest of the batch is the same
 * with or without dropout.
 */
export function dropoutKeep(seed: number, n: number, p: number, dims: number[]): Batch[string] {
  const rng = new Rng(seed);
  const kept = 1 / (1 - p);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.next() < p ? 0 : kept;
  return { data, dims };
}

/** The batch of global step `step` for `model` (deterministic in seed and step). */
export function makeBatch(model: ModelSpec, data: TrainingData, o: BatchOptions, seed: number, step: number): Batch {
  const idx = batchDocs(data.docs.length, o, seed, step);
  const rng = new Rng(mix(seed, step));
  const { tokens, mask, T } = padDocs(data, idx, o.maxLen);
  const B = idx.length;
  const labelsOf = (i: number): Int32Array => {
    if (!data.labels) throw new Error(`${model.kind} training needs label ids per document (TrainingData.labels)`);
    return at(data.labels, i, 'training labels (one list per document)');
  };
  const base: Batch = { tokens: { data: tokens, dims: [B, T] }, mask: { data: mask, dims: [B, T] } };
  if (model.kind === 'classifier') {
    const L = model.config.labels;
    const hard = data.hardNegatives ? idx.flatMap((i) => Array.from(data.hardNegatives![i] ?? [])) : [];
    const labels = model.sampled ? sampleLabels(rng, new Set(idx.flatMap((i) => Array.from(labelsOf(i)))), L, o.sampledLabels ?? L, hard) : null;
    const cols = labels ?? Array.from({ length: L }, (_, i) => i);
    const col = new Map(cols.map((l, j) => [l, j]));
    const targets = new Float32Array(B * cols.length);
    idx.forEach((di, b) => { for (const l of labelsOf(di)) { const j = col.get(l); if (j !== undefined) targets[b * cols.length + j] = 1; } });
    if (labels) base.labels = { data: BigInt64Array.from(labels.map(BigInt)), dims: [labels.length] };
    base.targets = { data: targets, dims: [B, cols.length] };
    if ((model.dropout ?? 0) > 0) base.keep = dropoutKeep(mix(seed ^ 0x3c6ef372, step), B * T * model.config.encoder.dim, model.dropout!, [B, T, model.config.encoder.dim]);
    return base;
  }
  if (model.kind === 'l2r') {
    const L = model.config.labels;
    const G = data.grades!;
    const labels = sampleLabels(rng, new Set(idx.flatMap((i) => Array.from(labelsOf(i)))), L, o.sampledLabels ?? 32);
    const Ls = labels.length;
    const grades = new Float32Array(B * Ls * T);
    const idcg = new Float32Array(B * Ls);
    const listMask = new Float32Array(B * Ls);
    const k = model.config.loss === 'lambdaRank' ? (model.config.k ?? 15) : Infinity;
    for (let b = 0; b < B; b++) {
      for (const [j, label] of labels.entries()) {
        const valid: number[] = [];
        for (let t = 0; t < T; t++) {
          if (!mask[b * T + t]) continue;
          // G is [V, L]: token ids are below V, labels below L (as before this read unchecked: a
          // bad id gives NaN grades, not an error, in this per-token loop)
          const gr = G[Number(tokens[b * T + t]) * L + label]!;
          grades[(b * Ls + j) * T + t] = gr;
          valid.push(gr);
        }
        const ideal = idealDcg(valid, k);
        idcg[b * Ls + j] = ideal;
        listMask[b * Ls + j] = ideal > 0 ? 1 : 0;
      }
    }
    return {
      ...base,
      labels: { data: BigInt64Array.from(labels.map(BigInt)), dims: [Ls] },
      grades: { data: grades, dims: [B, Ls, T] },
      idcg: { data: idcg, dims: [B, Ls] },
      list_mask: { data: listMask, dims: [B, Ls] },
    };
  }
  if (model.kind === 'shortlist') throw new Error('the shortlist scorer trains on stored features: use fitShortlist (inference/shortlist-fit.ts)');
  // pretraining: mask ~maskRate of the real tokens, predict them against K shared negatives
  const V = model.config.encoder.vocab;
  const maskId = o.maskId ?? V - 1;
  const K = o.negatives ?? 64;
  const positions: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < B * T; i++) {
    if (mask[i] && rng.next() < (o.maskRate ?? 0.15)) {
      positions.push(i);
      targets.push(Number(tokens[i]));
      tokens[i] = BigInt(maskId);
    }
  }
  if (positions.length === 0) {
    const first = mask.indexOf(1);
    positions.push(first);
    targets.push(Number(tokens[first]));
    tokens[first] = BigInt(maskId);
  }
  // negatives from the given distribution, else uniform over real ids (1 … V−2: not pad, not [MASK])
  const cdf = o.negativeCdf;
  const drawNegative = (): number => {
    if (!cdf) return 1 + rng.int(Math.max(1, V - 2));
    const u = rng.next() * at(cdf, cdf.length - 1, 'negative sampling cdf');
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1; // lo ≤ mid < hi < cdf.length
      else hi = mid;
    }
    return lo;
  };
  const negatives = Array.from({ length: K }, drawNegative);
  const negBias = new Float32Array(positions.length * K);
  targets.forEach((t, m) => negatives.forEach((n, j) => { if (n === t) negBias[m * K + j] = -1e9; }));
  return {
    ...base,
    positions: { data: BigInt64Array.from(positions.map(BigInt)), dims: [positions.length] },
    targets: { data: BigInt64Array.from(targets.map(BigInt)), dims: [targets.length] },
    negatives: { data: BigInt64Array.from(negatives.map(BigInt)), dims: [K] },
    neg_bias: { data: negBias, dims: [positions.length, K] },
  };
}
