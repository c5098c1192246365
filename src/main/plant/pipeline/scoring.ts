import type { ClassifierConfig } from '../../engine/models/classifier';
import type { Params } from '../../engine/models/params';
import { createPredictor, type Predictor } from '../../engine/inference/predictor';
import { chunkCorpus, maxOverChunks } from '../text/encode';
import { PipelineCancelled } from './progress';

export interface ScoringOptions {
  maxLen: number;
  threads?: number | undefined;
  onProgress?: (done: number, total: number) => void;
  signal?: { readonly aborted: boolean } | undefined;
}

/**
 * Sigmoid scores of every label for whole documents: each document is cut into windows of
 * `maxLen` tokens, every window is scored, and a document's score is the max over its windows
 * (PLANT.md Stage D). Returns one Float32Array [L] per document.
 */
export async function scoreDocuments(predictor: Predictor, docs: readonly Int32Array[], numLabels: number, o: ScoringOptions): Promise<Float32Array[]> {
  const chunked = chunkCorpus(docs.map((d) => (d.length ? d : Int32Array.of(0))), { windowTokens: o.maxLen });
  const scores = new Float32Array(chunked.chunks.length * numLabels);
  const step = 64;
  for (let i = 0; i < chunked.chunks.length; i += step) {
    if (o.signal?.aborted) throw new PipelineCancelled('evaluate');
    const part = await predictor.scoreAll(chunked.chunks.slice(i, i + step));
    part.forEach((row, j) => scores.set(row, (i + j) * numLabels));
    o.onProgress?.(Math.min(i + step, chunked.chunks.length), chunked.chunks.length);
  }
  const docScores = maxOverChunks(scores, numLabels, chunked.chunkDoc, docs.length);
  return Array.from({ length: docs.length }, (_, d) => docScores.subarray(d * numLabels, (d + 1) * numLabels));
}

export async function withPredictor<T>(config: ClassifierConfig, params: Params, o: { threads?: number | undefined; maxLen: number }, f: (p: Predictor) => Promise<T>): Promise<T> {
  const predictor = await createPredictor({ config, params }, { ...(o.threads ? { threads: o.threads } : {}), maxLen: o.maxLen, batchSize: 16 });
  try {
    return await f(predictor);
  } finally {
    await predictor.dispose();
  }
}

/**
 * Attention logits of each document's candidate labels only (the lexical shortlist): windows of
 * `maxLen` tokens, the max over windows per candidate, as scoreDocuments does for all labels.
 */
export async function scoreCandidates(predictor: Predictor, docs: readonly Int32Array[], candidates: readonly ArrayLike<number>[], o: ScoringOptions): Promise<Float32Array[]> {
  const chunked = chunkCorpus(docs.map((d) => (d.length ? d : Int32Array.of(0))), { windowTokens: o.maxLen });
  const out = candidates.map((c) => new Float32Array(c.length).fill(Number.NEGATIVE_INFINITY));
  const step = 64;
  for (let i = 0; i < chunked.chunks.length; i += step) {
    if (o.signal?.aborted) throw new PipelineCancelled('fusion');
    const owners = Array.from(chunked.chunkDoc.subarray(i, Math.min(i + step, chunked.chunks.length)));
    const part = await predictor.scoreSubset(chunked.chunks.slice(i, i + step), owners.map((d) => candidates[d]!));
    part.forEach((row, j) => {
      const dst = out[owners[j]!]!;
      for (let c = 0; c < row.length; c++) if (row[c]! > dst[c]!) dst[c] = row[c]!;
    });
    o.onProgress?.(Math.min(i + step, chunked.chunks.length), chunked.chunks.length);
  }
  return out;
}
