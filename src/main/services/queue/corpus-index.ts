/**
 * The queue's inverted index of the corpus, built a document at a time (so it can be built in
 * time slices and used before it is complete), in typed arrays: per document its sorted unique
 * token ids and term counts (CSR), per token its document frequency, and, once asked for, the
 * postings (CSR, built from the document side in one pass). Tokens are PLANT's tokenizer's, minus
 * one-character tokens. Positions are the order documents were added (ascending ids).
 */
import { tokenize } from '../../plant/text/tokenizer';
import { smoothedIdf } from '../queue-keywords';

/** An Int32Array that grows by doubling. */
class Int32Buffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = x;
  }
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Int32Array(Math.max(n, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

export class CorpusIndex {
  readonly #dict = new Map<string, number>();
  readonly #words: string[] = [];
  readonly #docIds = new Int32Buffer();
  readonly #docIndex = new Map<number, number>();
  /** [D + 1] start of each document's tokens in #tokens / #counts. */
  readonly #starts = new Int32Buffer();
  readonly #tokens = new Int32Buffer(1 << 16);
  #counts = new Uint16Array(1 << 16);
  #df = new Int32Array(1 << 12);
  #scratch = new Int32Array(1 << 12);
  #postings: { starts: Int32Array; docs: Int32Array; numDocs: number } | null = null;
  #norms: Float64Array | null = null;

  constructor() {
    this.#starts.push(0);
  }

  get numDocs(): number {
    return this.#docIds.length;
  }

  get vocabSize(): number {
    return this.#words.length;
  }

  /** [D] document row ids by position. */
  get docIds(): Int32Array {
    return this.#docIds.view();
  }

  docIndex(docId: number): number | undefined {
    return this.#docIndex.get(docId);
  }

  word(token: number): string {
    return this.#words[token] ?? '';
  }

  /** The id of a token, created when new (label descriptions add tokens no document has). */
  tokenId(word: string): number {
    let id = this.#dict.get(word);
    if (id === undefined) {
      id = this.#words.length;
      this.#dict.set(word, id);
      this.#words.push(word);
      if (id >= this.#df.length) {
        const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
          const next = new Int32Array(a.length * 2);
          next.set(a);
          return next;
        };
        // Mid-document too: the scratch holds the counts of the document being added.
        this.#df = grow(this.#df);
        this.#scratch = grow(this.#scratch);
      }
    }
    return id;
  }

  df(token: number): number {
    return this.#df[token] ?? 0;
  }

  idf(token: number): number {
    return smoothedIdf(this.df(token), this.numDocs);
  }

  /** The index's tokens of a text: PLANT's tokenizer's, without one-character tokens. */
  static words(text: string): string[] {
    return tokenize(text).filter((w) => w.length >= 2);
  }

  /** Tokenises and adds one document at the next position; returns the position. */
  add(docId: number, text: string): number {
    const touched: number[] = [];
    for (const word of CorpusIndex.words(text)) {
      const t = this.tokenId(word);
      if (this.#scratch[t] === 0) touched.push(t);
      this.#scratch[t]!++;
    }
    touched.sort((a, b) => a - b);
    const start = this.#tokens.length;
    this.#tokens.reserve(start + touched.length);
    if (this.#counts.length < this.#tokens.data.length) {
      const grown = new Uint16Array(this.#tokens.data.length);
      grown.set(this.#counts);
      this.#counts = grown;
    }
    for (const t of touched) {
      this.#counts[this.#tokens.length] = Math.min(65535, this.#scratch[t]!);
      this.#tokens.push(t);
      this.#scratch[t] = 0;
      this.#df[t]!++;
    }
    const position = this.#docIds.length;
    this.#docIds.push(docId);
    this.#docIndex.set(docId, position);
    this.#starts.push(this.#tokens.length);
    this.#postings = null;
    this.#norms = null;
    return position;
  }

  /** Sorted unique token ids of the document at `position`. */
  tokensOf(position: number): Int32Array {
    return this.#tokens.data.subarray(this.#starts.data[position]!, this.#starts.data[position + 1]!);
  }

  countsOf(position: number): Uint16Array {
    return this.#counts.subarray(this.#starts.data[position]!, this.#starts.data[position + 1]!);
  }

  /**
   * Builds the postings and the norms for the documents indexed so far, yielding every few
   * hundred documents (the keyword build runs it as its last step, in time slices).
   */
  *buildPostings(): Generator<void> {
    const V = this.vocabSize;
    const D = this.numDocs;
    const starts = new Int32Array(V + 1);
    for (let t = 0; t < V; t++) starts[t + 1] = starts[t]! + this.#df[t]!;
    const docs = new Int32Array(starts[V]!);
    const fill = starts.slice(0, V);
    const norms = new Float64Array(D);
    for (let d = 0; d < D; d++) {
      const tokens = this.tokensOf(d);
      const counts = this.countsOf(d);
      let s = 0;
      for (let j = 0; j < tokens.length; j++) {
        const t = tokens[j]!;
        docs[fill[t]!++] = d;
        s += (counts[j]! * this.idf(t)) ** 2;
      }
      norms[d] = Math.sqrt(s);
      if ((d & 255) === 255) yield;
    }
    this.#postings = { starts, docs, numDocs: D };
    this.#norms = norms;
  }

  /** Positions of the documents holding `token`, ascending. Built once for the current documents. */
  postings(token: number): Int32Array {
    const p = this.#buildPostings();
    if (token >= p.starts.length - 1) return new Int32Array(0);
    return p.docs.subarray(p.starts[token]!, p.starts[token + 1]!);
  }

  /** Euclidean norm of each document's TF-IDF vector (for cosine similarity). */
  norm(position: number): number {
    if (!this.#norms) {
      const norms = new Float64Array(this.numDocs);
      for (let d = 0; d < norms.length; d++) {
        const tokens = this.tokensOf(d);
        const counts = this.countsOf(d);
        let s = 0;
        for (let j = 0; j < tokens.length; j++) s += (counts[j]! * this.idf(tokens[j]!)) ** 2;
        norms[d] = Math.sqrt(s);
      }
      this.#norms = norms;
    }
    return this.#norms[position]!;
  }

  #buildPostings(): { starts: Int32Array; docs: Int32Array } {
    if (this.#postings && this.#postings.numDocs === this.numDocs) return this.#postings;
    const V = this.vocabSize;
    const starts = new Int32Array(V + 1);
    for (let t = 0; t < V; t++) starts[t + 1] = starts[t]! + this.#df[t]!;
    const docs = new Int32Array(starts[V]!);
    const fill = starts.slice(0, V);
    for (let d = 0; d < this.numDocs; d++) for (const t of this.tokensOf(d)) docs[fill[t]!++] = d;
    this.#postings = { starts, docs, numDocs: this.numDocs };
    return this.#postings;
  }
}
