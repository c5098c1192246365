/**
 * The lexical model as a whole — TF-IDF features, the linear ranker over labels with training
 * documents, and description vectors of every label — and the candidate lists it produces for a
 * document: the ranker's beam (the shortlist) plus the labels without training documents whose
 * description is closest (they cannot be in the ranker). Each candidate carries the features the
 * fusion reads.
 */
import { DescriptionIndex } from './descriptions';
import { rankLabels, RankerScratch, type LexicalRanker } from './ranker';
import type { Csr, SparseVector } from './sparse';
import { TfidfVectorizer, type TfidfModel } from './tfidf';
import type { RankerOptions } from './train-ranker';

export interface LexicalModel {
  tfidf: TfidfModel;
  ranker: LexicalRanker;
  /** [L, F] description vectors of every label of the model's label space. */
  descriptions: Csr;
  /** The options the ranker was trained with (the few-shot loop retrains with the same). */
  options: RankerOptions;
  /** [L] a fingerprint of each label's training documents (retrain.ts: which labels changed). */
  fingerprints?: Int32Array;
}

export interface ShortlistOptions {
  /** Beam width of the tree search (PECOS: 10). */
  beam: number;
  /** Candidates taken from the ranker. */
  shortlist: number;
  /** Candidates taken among labels without training documents, by description cosine. */
  zeroShot: number;
}

export const DEFAULT_SHORTLIST: ShortlistOptions = Object.freeze({ beam: 20, shortlist: 100, zeroShot: 20 });

/** One document's candidates (struct of arrays, ranker candidates first, best first). */
export interface Candidates {
  labels: Int32Array;
  /** Ranker path score in (0, 1]; 0 for zero-shot candidates. */
  lexScore: Float32Array;
  /** Ranker linear score w·x + b; NaN for zero-shot candidates. */
  lexRaw: Float32Array;
  /** Cosine of the document to the label's description. */
  desc: Float32Array;
}

/** Labels without training documents (the ranker has no model of them): the zero-shot candidates. */
function untrainedLabels(model: LexicalModel, numLabels: number): number[] {
  const trained = new Uint8Array(numLabels);
  for (const l of model.ranker.tree.labels) trained[l] = 1;
  return Array.from({ length: numLabels }, (_, l) => l).filter((l) => !trained[l]);
}

export class LexicalScorer {
  readonly vectorizer: TfidfVectorizer;
  readonly #zeroShot: DescriptionIndex;
  readonly #scratch = new RankerScratch();
  readonly trained: Uint8Array;
  readonly #nodeOf: Int32Array;

  /**
   * Builds the scorer in steps with a turn of the event loop between them (the feature table and
   * the zero-shot index each take ~100 ms at 500,000 features × 94,000 labels), so a host that
   * loads a model keeps answering.
   */
  static async create(model: LexicalModel, numLabels: number): Promise<LexicalScorer> {
    const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
    const vectorizer = new TfidfVectorizer(model.tfidf);
    await turn();
    const zeroShot = new DescriptionIndex(model.descriptions, untrainedLabels(model, numLabels));
    await turn();
    return new LexicalScorer(model, numLabels, { vectorizer, zeroShot });
  }

  constructor(
    readonly model: LexicalModel,
    readonly numLabels: number,
    built: { vectorizer: TfidfVectorizer; zeroShot: DescriptionIndex } | null = null,
  ) {
    this.vectorizer = built?.vectorizer ?? new TfidfVectorizer(model.tfidf);
    this.trained = new Uint8Array(numLabels);
    this.#nodeOf = new Int32Array(numLabels).fill(-1);
    model.ranker.tree.labels.forEach((l, q) => {
      this.trained[l] = 1;
      this.#nodeOf[l] = q;
    });
    this.#zeroShot = built?.zeroShot ?? new DescriptionIndex(model.descriptions, untrainedLabels(model, numLabels));
  }

  /** The ranker's node of a label (−1 for labels without training documents). */
  nodeOf(label: number): number {
    return this.#nodeOf[label] ?? -1;
  }

  vectorize(ids: ArrayLike<number>): SparseVector {
    return this.vectorizer.transform(ids);
  }

  candidates(x: SparseVector, o: ShortlistOptions): Candidates {
    const ranked = o.shortlist > 0 ? rankLabels(this.model.ranker, x, { beam: o.beam, topK: o.shortlist }, this.#scratch) : null;
    const zero = o.zeroShot > 0 ? this.#zeroShot.top(x, o.zeroShot) : null;
    const nr = ranked?.labels.length ?? 0;
    const n = nr + (zero?.labels.length ?? 0);
    const c: Candidates = { labels: new Int32Array(n), lexScore: new Float32Array(n), lexRaw: new Float32Array(n).fill(Number.NaN), desc: new Float32Array(n) };
    if (ranked) {
      c.labels.set(ranked.labels);
      c.lexScore.set(ranked.scores);
      c.lexRaw.set(ranked.raw);
    }
    if (zero) {
      c.labels.set(zero.labels, nr);
      c.desc.set(zero.scores, nr);
    }
    for (let i = 0; i < nr; i++) c.desc[i] = this.#zeroShot.cosine(x, c.labels[i]!);
    return c;
  }
}
