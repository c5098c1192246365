/**
 * The lexical model as a whole — TF-IDF features, the linear ranker over labels with training
 * documents, and description vectors of every label — and the candidate lists it produces for a
 * document: the ranker's beam (the shortlist) plus the labels without training documents whose
 * description is closest (they cannot be in the ranker). Each candidate carries the features the
 * fusion reads.
 */
import { DescriptionIndex } from './descriptions';
import { rankLabels, RankerScratch, type LexicalRanker } from './ranker';
import { NeighbourSearch, type NeighbourIndex, type NeighbourVotes } from './neighbours';
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
  /** The training documents' heaviest features and labels (neighbours.ts), when the model votes by neighbours. */
  neighbours?: NeighbourIndex;
}

export interface ShortlistOptions {
  /** Beam width of the tree search (PECOS: 10). */
  beam: number;
  /** Candidates taken from the ranker. */
  shortlist: number;
  /** Candidates taken among labels without training documents, by description cosine. */
  zeroShot: number;
  /**
   * The nearest training documents' votes (models with a neighbour index): k voting, and up to
   * `extra` voted labels added to the candidates. Absent: no votes.
   */
  neighbours?: { k: number; extra: number };
}

/** Features of the query walked by the neighbour search (its heaviest; neighbours.ts). */
export const NEIGHBOUR_QUERY_FEATURES = 64;

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
  /** The nearest training documents' vote for each candidate (neighbours.ts); absent when not searched. */
  knn?: Float32Array;
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
  readonly #neighbours: NeighbourSearch | null;

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
    this.#neighbours = model.neighbours ? new NeighbourSearch(model.neighbours) : null;
  }

  /** The ranker's node of a label (−1 for labels without training documents). */
  nodeOf(label: number): number {
    return this.#nodeOf[label] ?? -1;
  }

  vectorize(ids: ArrayLike<number>): SparseVector {
    return this.vectorizer.transform(ids);
  }

  /** The neighbour search of a model with a neighbour index (null without one). */
  get neighbourSearch(): NeighbourSearch | null {
    return this.#neighbours;
  }

  /**
   * A document's candidates: the ranker's shortlist, the zero-shot labels and, when asked and the
   * model has a neighbour index, the neighbours' votes. `selfHash`: the text hash of the document,
   * so that a training document's own copy does not vote for its labels.
   */
  candidates(x: SparseVector, o: ShortlistOptions, selfHash?: number): Candidates {
    const c = this.#shortlist(x, o);
    if (!o.neighbours || o.neighbours.k <= 0 || !this.#neighbours) return c;
    return this.withVotes(x, c, this.#neighbours.votes(x, { k: o.neighbours.k, queryFeatures: NEIGHBOUR_QUERY_FEATURES }, selfHash), o.neighbours.extra);
  }

  #shortlist(x: SparseVector, o: ShortlistOptions): Candidates {
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

  /**
   * The candidates with the neighbours' votes: each candidate gets its vote (0 when no neighbour
   * carries it), and up to `extra` voted labels the list lacks join it after the ranker's
   * candidates, as unranked (lexRaw NaN) candidates with their description cosine.
   */
  withVotes(x: SparseVector, c: Candidates, v: NeighbourVotes, extra: number): Candidates {
    const voteOf = new Map<number, number>();
    v.labels.forEach((l, i) => voteOf.set(l, v.votes[i]!));
    const present = new Set(c.labels);
    const added = Array.from(v.labels).filter((l) => !present.has(l) && this.trained[l] === 1).slice(0, extra);
    const n = c.labels.length + added.length;
    const out: Candidates = { labels: new Int32Array(n), lexScore: new Float32Array(n), lexRaw: new Float32Array(n).fill(Number.NaN), desc: new Float32Array(n), knn: new Float32Array(n) };
    out.labels.set(c.labels);
    out.lexScore.set(c.lexScore);
    out.lexRaw.set(c.lexRaw);
    out.desc.set(c.desc);
    added.forEach((l, i) => {
      out.labels[c.labels.length + i] = l;
      out.desc[c.labels.length + i] = this.#zeroShot.cosine(x, l);
    });
    for (let i = 0; i < n; i++) out.knn![i] = voteOf.get(out.labels[i]!) ?? 0;
    return out;
  }
}
