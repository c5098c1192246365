/**
 * Word 1–2-gram TF-IDF over Planter's own token ids (plant/text: the vocabulary the attention
 * model uses, so one tokenisation serves both models). Conventions follow scikit-learn's
 * TfidfVectorizer as the TF-IDF + LinearSVC peer of the quality benchmark runs it: sublinear tf
 * (1 + ln tf), smooth idf ln((1 + n) / (1 + df)) + 1, rows L2-normalised, `minDf`, and a cap
 * keeping the features with the highest document frequency.
 *
 * A feature is identified by a key: unigram id u → u; bigram (a, b) → V + a·V + b (exact in a
 * float64 for V ≤ 2^26). Padding, <unk> and <mask> never form features, and a bigram never spans
 * one of them (an unknown word breaks the phrase).
 */
import { MASK_ID, PAD_ID, UNK_ID } from '../plant/text/vocabulary';
import { KeyTable } from './key-table';
import { CsrBuilder, type Csr, type SparseVector } from './sparse';

export interface TfidfOptions {
  /** 1: unigrams only; 2: unigrams and bigrams. */
  ngrams: 1 | 2;
  /** Features must occur in at least this many training documents. */
  minDf: number;
  /** At most this many features (highest document frequency first, then lowest key). */
  maxFeatures: number;
  /**
   * Counting memory bound: when the table of distinct n-grams passes this many entries, n-grams
   * seen in one document so far are dropped (each drop is counted in `prunedKeys`). Only
   * n-grams at the `minDf` = 2 border can be lost that way; with the default no EURLEX57K or
   * CodiEsp cell ever prunes.
   */
  maxCountedKeys: number;
}

export const DEFAULT_TFIDF_OPTIONS: TfidfOptions = Object.freeze({ ngrams: 2, minDf: 2, maxFeatures: 500_000, maxCountedKeys: 16_000_000 });

/** A fitted TF-IDF feature space. */
export interface TfidfModel {
  /** The token vocabulary size V the keys are defined over. */
  readonly vocabSize: number;
  readonly ngrams: 1 | 2;
  /** [F] feature keys, ascending (unigrams first). */
  readonly keys: Float64Array;
  /** [F] inverse document frequencies. */
  readonly idf: Float32Array;
  /** Training documents the idf was computed from. */
  readonly numDocs: number;
}

export interface TfidfFitStats {
  distinctKeys: number;
  prunedKeys: number;
}

const isWord = (id: number): boolean => id !== PAD_ID && id !== UNK_ID && id !== MASK_ID;

export const bigramKey = (a: number, b: number, V: number): number => V + a * V + b;

/** The token ids of a feature key: [u] or [a, b]. */
export function keyTokens(key: number, V: number): number[] {
  if (key < V) return [key];
  const k = key - V;
  return [Math.floor(k / V), k % V];
}

/** The n-gram keys occurring in one document, ascending, each once per occurrence. */
export function ngramKeys(ids: ArrayLike<number>, V: number, ngrams: 1 | 2): Float64Array {
  const out = new Float64Array(ngrams === 2 ? Math.max(0, 2 * ids.length - 1) : ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const a = ids[i]!;
    if (!isWord(a)) continue;
    out[n++] = a;
    if (ngrams === 2 && i + 1 < ids.length) {
      const b = ids[i + 1]!;
      if (isWord(b)) out[n++] = bigramKey(a, b, V);
    }
  }
  return out.subarray(0, n).sort();
}

/**
 * Fits the feature space on the training pool: document frequencies of every 1–2-gram, then
 * `minDf` and the `maxFeatures` cap. `docs` is iterated once, so it may be a generator that
 * encodes documents lazily.
 */
export function fitTfidf(docs: Iterable<ArrayLike<number>>, vocabSize: number, options: Partial<TfidfOptions> = {}): { model: TfidfModel; stats: TfidfFitStats } {
  const o = { ...DEFAULT_TFIDF_OPTIONS, ...options };
  if (vocabSize > 2 ** 26) throw new Error(`TF-IDF: a vocabulary of ${vocabSize} tokens is too large for exact bigram keys (at most 2^26)`);
  const df = new KeyTable(1 << 16);
  let n = 0;
  let pruned = 0;
  for (const ids of docs) {
    n++;
    const keys = ngramKeys(ids, vocabSize, o.ngrams);
    for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[i - 1]) df.add(keys[i]!);
    if (df.size > o.maxCountedKeys) pruned += df.retain((_, v) => v >= 2);
  }
  const distinct = df.size;
  const kept: { key: number; df: number }[] = [];
  df.forEach((key, count) => {
    if (count >= o.minDf) kept.push({ key, df: count });
  });
  if (kept.length > o.maxFeatures) {
    kept.sort((a, b) => b.df - a.df || a.key - b.key);
    kept.length = o.maxFeatures;
  }
  kept.sort((a, b) => a.key - b.key);
  const keys = Float64Array.from(kept, (k) => k.key);
  const idf = Float32Array.from(kept, (k) => Math.log((1 + n) / (1 + k.df)) + 1);
  return { model: { vocabSize, ngrams: o.ngrams, keys, idf, numDocs: n }, stats: { distinctKeys: distinct, prunedKeys: pruned } };
}

/** Key → feature index lookups for one model (built once per model, reused for every document). */
export class TfidfVectorizer {
  readonly #index: KeyTable;
  constructor(readonly model: TfidfModel) {
    this.#index = new KeyTable(model.keys.length);
    model.keys.forEach((k, i) => this.#index.set(k, i));
  }

  get features(): number {
    return this.model.keys.length;
  }

  /** Feature index of a key, or -1. */
  featureOf(key: number): number {
    return this.#index.get(key);
  }

  /** One document's L2-normalised sublinear TF-IDF row (ascending feature indices). */
  transform(ids: ArrayLike<number>): SparseVector {
    const keys = ngramKeys(ids, this.model.vocabSize, this.model.ngrams);
    const feats = new Int32Array(keys.length);
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      const f = this.#index.get(keys[i]!);
      if (f >= 0) feats[n++] = f;
    }
    const sorted = feats.subarray(0, n).sort();
    const indices: number[] = [];
    const values: number[] = [];
    let norm = 0;
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j < sorted.length && sorted[j] === sorted[i]) j++;
      const f = sorted[i]!;
      const v = (1 + Math.log(j - i)) * this.model.idf[f]!;
      indices.push(f);
      values.push(v);
      norm += v * v;
      i = j;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    return { indices: Int32Array.from(indices), values: Float32Array.from(values, (v) => v * scale) };
  }

  /** The rows of many documents as one matrix (in shared memory when asked, for worker threads). */
  transformAll(docs: Iterable<ArrayLike<number>>, shared = false): Csr {
    const b = new CsrBuilder(this.features);
    for (const ids of docs) {
      const row = this.transform(ids);
      b.push(row.indices, row.values);
    }
    return b.build(shared);
  }
}
