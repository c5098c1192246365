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

/**
 * Cosine of one document to the descriptions of a subset of labels, through an inverted index
 * (feature → labels): the cost is the postings of the document's features, not labels × nnz.
 */
export class DescriptionIndex {
  readonly #byFeature: Csr;
  readonly #labels: Int32Array;
  readonly #acc: Float64Array;

  /** Indexes the description rows of `labels` (model label ids) of `descriptions`. */
  constructor(
    readonly descriptions: Csr,
    labels: ArrayLike<number>,
  ) {
    const b = new CsrBuilder(descriptions.cols);
    for (let i = 0; i < labels.length; i++) {
      const r = rowOf(descriptions, labels[i]!);
      b.push(r.indices, r.values);
    }
    this.#byFeature = transpose(b.build());
    this.#labels = Int32Array.from(labels);
    this.#acc = new Float64Array(labels.length);
  }

  /** The k indexed labels most similar to x (cosine > 0), best first. */
  top(x: SparseVector, k: number): { labels: Int32Array; scores: Float32Array } {
    const acc = this.#acc;
    const touched: number[] = [];
    const t = this.#byFeature;
    for (let j = 0; j < x.indices.length; j++) {
      const f = x.indices[j]!;
      const v = x.values[j]!;
      for (let e = t.indptr[f]!, end = t.indptr[f + 1]!; e < end; e++) {
        const i = t.indices[e]!;
        if (acc[i] === 0) touched.push(i);
        acc[i]! += t.data[e]! * v;
      }
    }
    touched.sort((a, b) => acc[b]! - acc[a]! || a - b);
    const top = touched.slice(0, k);
    const out = { labels: Int32Array.from(top, (i) => this.#labels[i]!), scores: Float32Array.from(top, (i) => acc[i]!) };
    for (const i of touched) acc[i] = 0;
    return out;
  }

  /** Cosine of x to label l's description (any label of the matrix, indexed or not). */
  cosine(x: SparseVector, label: number): number {
    return sparseDot(x, rowOf(this.descriptions, label));
  }
}
