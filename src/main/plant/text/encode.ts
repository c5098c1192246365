/**
 * Token ids, fixed-size windows ("chunks") and chunk → document score aggregation
 * (PLANT.md Stage D: "Truncate or chunk documents (T = 256–512); aggregate chunk scores by max").
 */
import { tokenizeWithOffsets } from './tokenizer';
import { PAD_ID } from './vocabulary';
import type { Vocabulary } from './vocabulary';

/** Maps tokens to ids; unknown tokens become `<unk>`. */
export function encodeTokens(tokens: readonly string[], vocab: Vocabulary): Int32Array {
  const ids = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) ids[i] = vocab.idOf(tokens[i]!);
  return ids;
}

/** One text's ids with the UTF-16 span of each token in the original text (for highlighting). */
export interface EncodedText {
  /** [n] token ids. */
  readonly ids: Int32Array;
  /** [n] start offsets, UTF-16 code units, inclusive. */
  readonly startsUtf16: Int32Array;
  /** [n] end offsets, UTF-16 code units, exclusive. */
  readonly endsUtf16: Int32Array;
}

/** Tokenises with the vocabulary's own tokenizer settings and encodes, keeping offsets. */
export function encodeText(text: string, vocab: Vocabulary): EncodedText {
  const { tokens, startsUtf16, endsUtf16 } = tokenizeWithOffsets(text, vocab.tokenizer);
  return { ids: encodeTokens(tokens, vocab), startsUtf16, endsUtf16 };
}

export interface ChunkOptions {
  /** Window length T in tokens (e.g. 256 or 512). */
  readonly windowTokens: number;
  /** Tokens shared by consecutive windows; 0 ≤ overlap < T. Default 0. */
  readonly overlapTokens?: number;
  /** Keep at most this many windows per document (the first ones). Default: all. */
  readonly maxChunksPerDoc?: number;
}

/**
 * Start offsets (in tokens) of the windows covering a document of `length` tokens.
 * Windows advance by T − overlap; the last window is aligned to the document's end, so every
 * window of a document with ≥ T tokens is full (no short tail chunk whose max-aggregated scores
 * would rest on a handful of tokens). A document shorter than T (empty included) has one window at 0.
 * @example chunkStarts(10, { windowTokens: 4 }) // [0, 4, 6]
 */
export function chunkStarts(length: number, options: ChunkOptions): number[] {
  const t = options.windowTokens;
  const overlap = options.overlapTokens ?? 0;
  if (!Number.isInteger(t) || t < 1) throw new Error(`chunking: windowTokens is ${t} (expected an integer ≥ 1)`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= t) {
    throw new Error(`chunking: overlapTokens is ${overlap} (expected an integer in [0, ${t - 1}])`);
  }
  const maxChunks = options.maxChunksPerDoc ?? Number.POSITIVE_INFINITY;
  if (length <= t) return [0];
  const stride = t - overlap;
  const starts: number[] = [];
  let start = 0;
  for (; start + t < length && starts.length < maxChunks; start += stride) starts.push(start);
  if (starts.length < maxChunks) starts.push(length - t);
  return starts;
}

/** Windows of a corpus, flattened, with the mapping back to documents. */
export interface ChunkedCorpus {
  /** [C] views (subarrays, not copies) of each window's ids; length ≤ T. */
  readonly chunks: Int32Array[];
  /** [C] document index of each chunk; non-decreasing. */
  readonly chunkDoc: Int32Array;
  /** [C] offset of the chunk's first token within its document (maps token evidence back). */
  readonly chunkStartToken: Int32Array;
  readonly numDocs: number;
}

/** Splits every document into windows (see `chunkStarts`). Every document gets ≥ 1 chunk. */
export function chunkCorpus(docs: readonly Int32Array[], options: ChunkOptions): ChunkedCorpus {
  const chunks: Int32Array[] = [];
  const chunkDoc: number[] = [];
  const chunkStart: number[] = [];
  docs.forEach((ids, d) => {
    for (const start of chunkStarts(ids.length, options)) {
      chunks.push(ids.subarray(start, start + options.windowTokens));
      chunkDoc.push(d);
      chunkStart.push(start);
    }
  });
  return {
    chunks,
    chunkDoc: Int32Array.from(chunkDoc),
    chunkStartToken: Int32Array.from(chunkStart),
    numDocs: docs.length,
  };
}

/**
 * Packs windows into one padded batch.
 * @returns ids [B·T] row-major, padded with `PAD_ID`; lengths [B] real tokens per row.
 */
export function padBatch(
  chunks: readonly ArrayLike<number>[],
  windowTokens: number,
): { ids: Int32Array; lengths: Int32Array } {
  const ids = new Int32Array(chunks.length * windowTokens).fill(PAD_ID);
  const lengths = new Int32Array(chunks.length);
  chunks.forEach((chunk, b) => {
    if (chunk.length > windowTokens) throw new Error(`padBatch: chunk ${b} has ${chunk.length} tokens > T = ${windowTokens}`);
    const row = b * windowTokens;
    for (let t = 0; t < chunk.length; t++) ids[row + t] = chunk[t]!;
    lengths[b] = chunk.length;
  });
  return { ids, lengths };
}

/**
 * Document scores = max over the document's chunk scores, per label.
 * @param chunkScores [C, L] row-major
 * @param chunkDoc [C] document of each chunk
 * @returns [D, L] row-major; a document without chunks gets −∞ (cannot happen with chunkCorpus).
 */
export function maxOverChunks(
  chunkScores: Float32Array,
  numLabels: number,
  chunkDoc: Int32Array,
  numDocs: number,
): Float32Array {
  if (chunkScores.length !== chunkDoc.length * numLabels) {
    throw new Error(`maxOverChunks: ${chunkScores.length} scores for ${chunkDoc.length} chunks × ${numLabels} labels`);
  }
  const out = new Float32Array(numDocs * numLabels).fill(Number.NEGATIVE_INFINITY);
  for (let c = 0; c < chunkDoc.length; c++) {
    const d = chunkDoc[c]!;
    if (d < 0 || d >= numDocs) throw new Error(`maxOverChunks: chunk ${c} maps to document ${d} of ${numDocs}`);
    const src = c * numLabels;
    const dst = d * numLabels;
    for (let l = 0; l < numLabels; l++) {
      const s = chunkScores[src + l]!;
      if (s > out[dst + l]!) out[dst + l] = s;
    }
  }
  return out;
}
