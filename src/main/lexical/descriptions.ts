/**
 * Lexical vectors of label descriptions (catalogue title and synonyms) in the documents' TF-IDF
 * space: how a label without training documents can be ranked at all (cosine to the document),
 * and a feature of every candidate in the fusion. The code itself is not used: under number
 * shapes every ICD code would collapse into the same few tokens.
 */
import { encodeTokens } from '../plant/text/encode';
import { tokenize } from '../plant/text/tokenizer';
import type { Vocabulary } from '../plant/text/vocabulary';
import { CsrBuilder, rowOf, sparseDot, transpose, type Csr, type SparseVector } from './sparse';
import type { TfidfVectorizer } from './tfidf';

export interface DescribedLabel {
  title: string;
  synonyms?: readonly string[];
}

/** The description text of a label: title and synonyms. */
export const descriptionText = (l: DescribedLabel): string => [l.title, ...(l.synonyms ?? [])].filter(Boolean).join('. ');

/** [L, F] one unit-norm TF-IDF row per label (empty when no description word is a feature). */
export function descriptionVectors(labels: readonly DescribedLabel[], vocab: Vocabulary, vectorizer: TfidfVectorizer): Csr {
  const b = new CsrBuilder(vectorizer.features);
  for (const l of labels) {
    const row = vectorizer.transform(encodeTokens(tokenize(descriptionText(l), vocab.tokenizer), vocab));
    b.push(row.indices, row.values);
  }
  return b.build();
}

/** How a description query is pruned (both bound the cost per document whatever the catalogue size). */
export interface DescriptionQuery {
  /** Only the document's this-many heaviest TF-IDF terms query the index. */
  terms: number;
  /** A term reaches at most this many labels: those whose description weighs it most. */
  postings: number;
}

/**
 * Measured on the demo with the whole ICD-10-CM catalogue (92,000 labels without training
 * documents): every term against a full index took 70–90 ms a document (a word like "of" or
 * "unspecified" reaches tens of thousands of titles); a document's 32 heaviest terms, each
 * against its 2,000 strongest postings, stay within a few milliseconds.
 */
export const DEFAULT_DESCRIPTION_QUERY: DescriptionQuery = Object.freeze({ terms: 32, postings: 2000 });

/** Indices of the k largest values (any order), by partial selection. */
function topIndicesOf(values: ArrayLike<number>, n: number, k: number): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const heap: number[] = []; // min-heap of indices by value
  const less = (a: number, b: number): boolean => values[a]! < values[b]! || (values[a] === values[b] && a > b);
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let j = heap.length - 1; j > 0; ) {
        const p = (j - 1) >> 1;
        if (!less(heap[j]!, heap[p]!)) break;
        [heap[j], heap[p]] = [heap[p]!, heap[j]!];
        j = p;
      }
    } else if (less(heap[0]!, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap;
}

/**
 * Cosine of one document to the descriptions of a subset of labels, through an inverted index
 * (feature → labels, strongest first): the cost is the postings of the document's heaviest
 * terms, not labels × nnz.
 */
export class DescriptionIndex {
  readonly #byFeature: Csr;
  readonly #labels: Int32Array;
  readonly #acc: Float64Array;

  /** Indexes the description rows of `labels` (model label ids) of `descriptions`. */
  readonly #query: DescriptionQuery;

  constructor(
    readonly descriptions: Csr,
    labels: ArrayLike<number>,
    query: DescriptionQuery = DEFAULT_DESCRIPTION_QUERY,
  ) {
    const b = new CsrBuilder(descriptions.cols);
    for (let i = 0; i < labels.length; i++) {
      const r = rowOf(descriptions, labels[i]!);
      b.push(r.indices, r.values);
    }
    const t = transpose(b.build());
    // each feature's postings, strongest first, so a query can stop after `postings` of them
    for (let f = 0; f < t.rows; f++) {
      const a = t.indptr[f]!;
      const e = t.indptr[f + 1]!;
      if (e - a < 2) continue;
      const order = Array.from({ length: e - a }, (_, i) => a + i).sort((p, q) => t.data[q]! - t.data[p]! || t.indices[p]! - t.indices[q]!);
      const idx = order.map((p) => t.indices[p]!);
      const val = order.map((p) => t.data[p]!);
      t.indices.set(idx, a);
      t.data.set(val, a);
    }
    this.#byFeature = t;
    this.#labels = Int32Array.from(labels);
    this.#acc = new Float64Array(labels.length);
    this.#query = query;
  }

  /** The k indexed labels most similar to x (cosine > 0, over its heaviest terms), best first. */
  top(x: SparseVector, k: number): { labels: Int32Array; scores: Float32Array } {
    const acc = this.#acc;
    const touched: number[] = [];
    const t = this.#byFeature;
    for (const j of topIndicesOf(x.values, x.indices.length, this.#query.terms)) {
      const f = x.indices[j]!;
      const v = x.values[j]!;
      const a = t.indptr[f]!;
      for (let e = a, end = Math.min(t.indptr[f + 1]!, a + this.#query.postings); e < end; e++) {
        const i = t.indices[e]!;
        if (acc[i] === 0) touched.push(i);
        acc[i]! += t.data[e]! * v;
      }
    }
    const scores = Float64Array.from(touched, (i) => acc[i]!);
    const top = topIndicesOf(scores, touched.length, k)
      .map((j) => touched[j]!)
      .sort((a, b) => acc[b]! - acc[a]! || a - b);
    const out = { labels: Int32Array.from(top, (i) => this.#labels[i]!), scores: Float32Array.from(top, (i) => acc[i]!) };
    for (const i of touched) acc[i] = 0;
    return out;
  }

  /** Cosine of x to label l's description (any label of the matrix, indexed or not). */
  cosine(x: SparseVector, label: number): number {
    return sparseDot(x, rowOf(this.descriptions, label));
  }
}
