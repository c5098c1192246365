import type * as ort from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import type { DeviceName } from '../device';
import type { ClassifierConfig } from '../models/classifier';
import type { Params } from '../models/params';
import { at } from '../graph/checked';
import { createSession, dimsOf, outputOf } from '../runtime/session';
import { exportClassifier } from './export';
import type { InferenceMode } from './graphs';

/** Trained parameters in memory, or exported model files (exportClassifier) per mode. */
export type PredictorSource =
  | { config: ClassifierConfig; params: Params }
  | { models: Partial<Record<InferenceMode, Uint8Array>> };

export interface PredictorOptions {
  threads?: number;
  device?: DeviceName;
  /** Shortlist size C (default 64); fixed when the shortlist graph is built. */
  candidates?: number;
  /** Evidence tokens per label k (default 5). */
  evidenceK?: number;
  /** Documents per ORT run (default 32). */
  batchSize?: number;
  /** Longer documents are cut (default 512). */
  maxLen?: number;
}

export interface LabelScore { label: number; score: number }
export interface Evidence { label: number; score: number; /** token positions, most attended first */ positions: number[]; weights: number[] }

export interface Predictor {
  /** Top-K labels per document (sigmoid scores), exactly or from the shortlist's C candidates. */
  predict(docs: readonly ArrayLike<number>[], o?: { topK?: number; shortlist?: boolean }): Promise<LabelScore[][]>;
  /** Every label's score per document [L] (exact). */
  scoreAll(docs: readonly ArrayLike<number>[]): Promise<Float32Array[]>;
  /** Scores and the k most attended token positions of the given labels for one document. */
  explain(doc: ArrayLike<number>, labels: readonly number[], k?: number): Promise<Evidence[]>;
  /** Logits of the given labels only, per document (labels[i] for docs[i]; lists may differ in length). */
  scoreSubset(docs: readonly ArrayLike<number>[], labels: readonly ArrayLike<number>[]): Promise<Float32Array[]>;
  /** Pooled encoder features [N × 3d] and exact logits [N × L] (to fit the shortlist scorer). */
  features(docs: readonly ArrayLike<number>[]): Promise<{ pooled: Float32Array; logits: Float32Array }>;
  dispose(): Promise<void>;
}

/**
 * Indices of the k largest of scores[0..n) in descending order (ties: lower index first). One pass
 * with a small sorted buffer: O(n) for k ≪ n, where a full sort of 4k–94k labels per document
 * would cost more than the model run.
 */
export function topKIndices(scores: ArrayLike<number>, n: number, k: number): number[] {
  const kk = Math.min(k, n);
  const idx: number[] = [];
  // hot (once per label per document): j < n ≤ scores.length, and idx holds indices below n
  for (let j = 0; j < n; j++) {
    const v = scores[j]!;
    if (idx.length === kk && !(v > scores[idx[kk - 1]!]!)) continue;
    let pos = idx.length === kk ? kk - 1 : idx.length;
    while (pos > 0 && v > scores[idx[pos - 1]!]!) pos--;
    if (idx.length === kk) idx.pop();
    idx.splice(pos, 0, j);
  }
  return idx;
}

/** Pads token id lists to [B, T] (pad 0) with a 1/0 mask, T ≥ minLen (the evidence TopK needs T ≥ k). */
export function padBatch(docs: readonly ArrayLike<number>[], maxLen: number, minLen = 1): { tokens: ort.Tensor; mask: ort.Tensor; T: number } {
  const T = Math.max(minLen, 1, Math.min(maxLen, Math.max(...docs.map((d) => d.length))));
  const ids = new BigInt64Array(docs.length * T);
  const mask = new Float32Array(docs.length * T);
  docs.forEach((d, b) => {
    for (let t = 0; t < Math.min(T, d.length); t++) {
      ids[b * T + t] = BigInt(d[t]!); // t < d.length
      mask[b * T + t] = 1;
    }
  });
  return { tokens: new Tensor('int64', ids, [docs.length, T]), mask: new Tensor('float32', mask, [docs.length, T]), T };
}

/**
 * Runs the classifier for predictions and evidence. Sessions are created per mode on first use
 * and reused; call dispose() to release them.
 */
export async function createPredictor(source: PredictorSource, o: PredictorOptions = {}): Promise<Predictor> {
  const sessions = new Map<InferenceMode, Promise<ort.InferenceSession>>();
  let disposed = false;
  const session = (mode: InferenceMode): Promise<ort.InferenceSession> => {
    // A disposed predictor must not quietly open new sessions that nobody will release.
    if (disposed) throw new Error('this predictor was disposed');
    let s = sessions.get(mode);
    if (!s) {
      // predict() returns no evidence, so the in-memory shortlist graph skips it (explain() has its own graph)
      const bytes = 'models' in source ? source.models[mode] : exportClassifier(source.config, source.params, mode, mode === 'shortlist' ? { ...o, evidenceK: 0 } : o);
      if (!bytes) throw new Error(`this predictor has no "${mode}" model (given: ${Object.keys((source as { models: object }).models).join(', ')})`);
      s = createSession(bytes, o);
      sessions.set(mode, s);
    }
    return s;
  };
  const bs = o.batchSize ?? 32;
  const evidenceK = o.evidenceK ?? 5;
  const maxLen = o.maxLen ?? 512;
  const chunks = <T>(xs: readonly T[]): T[][] => Array.from({ length: Math.ceil(xs.length / bs) }, (_, i) => xs.slice(i * bs, (i + 1) * bs));

  async function runChunks(mode: InferenceMode, docs: readonly ArrayLike<number>[]): Promise<Record<string, ort.Tensor>[]> {
    const s = await session(mode);
    const outs: Record<string, ort.Tensor>[] = [];
    for (const c of chunks(docs)) {
      const { tokens, mask } = padBatch(c, maxLen, mode === 'shortlist' && 'models' in source ? evidenceK : 1);
      outs.push(await s.run({ token_ids: tokens, mask }));
    }
    return outs;
  }

  const topOf = (scores: Float32Array, ids: ((j: number) => number) | null, n: number, k: number): LabelScore[] =>
    topKIndices(scores, n, k).map((j) => ({ label: ids ? ids(j) : j, score: scores[j]! })); // j < n

  return {
    async predict(docs, p = {}) {
      const k = p.topK ?? 10;
      const res: LabelScore[][] = [];
      if (p.shortlist) {
        for (const out of await runChunks('shortlist', docs)) {
          const scores = outputOf(out, 'scores');
          const [B, C] = dimsOf(scores, 2, 'shortlist scores');
          const sc = scores.data as Float32Array;
          const ids = outputOf(out, 'candidates').data as BigInt64Array;
          for (let b = 0; b < B; b++) res.push(topOf(sc.subarray(b * C, (b + 1) * C), (j) => Number(at(ids, b * C + j, 'shortlist candidates')), C, k));
        }
      } else {
        for (const out of await runChunks('exact', docs)) {
          const scores = outputOf(out, 'scores');
          const [B, L] = dimsOf(scores, 2, 'exact scores');
          const sc = scores.data as Float32Array;
          for (let b = 0; b < B; b++) res.push(topOf(sc.subarray(b * L, (b + 1) * L), null, L, k));
        }
      }
      return res;
    },
    async scoreAll(docs) {
      const res: Float32Array[] = [];
      for (const out of await runChunks('exact', docs)) {
        const scores = outputOf(out, 'scores');
        const [B, L] = dimsOf(scores, 2, 'exact scores');
        for (let b = 0; b < B; b++) res.push((scores.data as Float32Array).slice(b * L, (b + 1) * L));
      }
      return res;
    },
    async scoreSubset(docs, labels) {
      if (docs.length !== labels.length) throw new Error(`scoreSubset: ${docs.length} documents but ${labels.length} label lists`);
      const s = await session('subset');
      const res: Float32Array[] = [];
      for (let i = 0; i < docs.length; i += bs) {
        const part = docs.slice(i, i + bs);
        const lists = labels.slice(i, i + bs);
        const C = Math.max(1, ...lists.map((l) => l.length));
        // every document gets C label rows: shorter lists repeat their first label (results dropped)
        const ids = new BigInt64Array(part.length * C);
        lists.forEach((l, b) => {
          for (let j = 0; j < C; j++) ids[b * C + j] = BigInt(l.length ? (j < l.length ? l[j]! : l[0]!) : 0);
        });
        const { tokens, mask } = padBatch(part, maxLen);
        const out = await s.run({ token_ids: tokens, mask, label_ids: new Tensor('int64', ids, [part.length, C]) });
        const z = outputOf(out, 'logits').data as Float32Array;
        lists.forEach((l, b) => res.push(z.slice(b * C, b * C + l.length)));
      }
      return res;
    },
    async explain(doc, labels, k) {
      const s = await session('explain');
      const { tokens, mask } = padBatch([doc], maxLen, evidenceK);
      const out = await s.run({ token_ids: tokens, mask, label_ids: new Tensor('int64', BigInt64Array.from(labels.map(BigInt)), [1, labels.length]) });
      const weights = outputOf(out, 'evidence_weights');
      const [, , kk] = dimsOf(weights, 3, 'evidence weights');
      const take = Math.min(k ?? kk, kk);
      const w = weights.data as Float32Array;
      const pos = outputOf(out, 'evidence_positions').data as BigInt64Array;
      const scores = outputOf(out, 'scores').data as Float32Array;
      return labels.map((label, j) => ({
        label,
        score: at(scores, j, 'explain scores (one per label)'),
        positions: Array.from(pos.subarray(j * kk, j * kk + take), Number),
        weights: Array.from(w.subarray(j * kk, j * kk + take)),
      }));
    },
    async features(docs) {
      const outs = await runChunks('features', docs);
      const cat = (k: string): Float32Array => {
        const parts = outs.map((x) => outputOf(x, k).data as Float32Array);
        const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
        let off = 0;
        for (const p of parts) { all.set(p, off); off += p.length; }
        return all;
      };
      return { pooled: cat('pooled'), logits: cat('logits') };
    },
    async dispose() {
      disposed = true;
      for (const s of sessions.values()) await (await s).release();
      sessions.clear();
    },
  };
}
