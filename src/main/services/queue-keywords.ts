/**
 * Keyword evidence for the annotation queue before (and beside) a model: an inverted index of the
 * corpus with the label descriptions tokenised by PLANT's own tokenizer (PLANT.md Stage A').
 *
 * - Description seeds of a label are its few most distinctive title/synonym tokens. A token's
 *   weight is field weight (title 1, synonym 0.8) × corpus IDF × label IDF: corpus IDF prefers
 *   words that are rare in documents (so "pain" is weak evidence), label IDF prefers words that are
 *   rare among descriptions (so "unspecified", "initial", "encounter" are weak evidence).
 * - MIG seeds of a label with training documents are the tokens with the highest normalised mutual
 *   information with it over the training documents (PLANT.md Stage A), positively associated only.
 * - A document covers a label when it contains tokens worth at least `minCoverage` of the seeds'
 *   total weight; absent seeds count against it (a "brucellosis" label is not evidenced by
 *   "unspecified" alone). Its evidence is coverage × matched weight, so two specific words beat
 *   one generic word.
 */
import { isPositivelyAssociated, normalizedMutualInformation } from '../plant/mig/mig';
import { tokenize } from '../plant/text/tokenizer';

export interface Seed {
  token: number;
  weight: number;
}

export interface SeedLabel {
  id: number;
  code: string;
  title: string;
  /** JSON array of strings, as stored. */
  synonyms: string;
}

/** A token is keyword evidence when it is a word of 3+ characters without digits. */
function isWord(token: string): boolean {
  return token.length >= 3 && !/\d/.test(token);
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class KeywordIndex {
  readonly #dict = new Map<string, number>();
  readonly #words: string[] = [];
  /** [D] document row ids, ascending. */
  readonly docIds: Int32Array;
  readonly #docIndex = new Map<number, number>();
  /** [D] sorted unique token ids per document, and the term counts beside them. */
  readonly #docTokens: Int32Array[] = [];
  readonly #docCounts: Uint16Array[] = [];
  #docNorms = new Float64Array(0);
  #df = new Int32Array(0);
  #postings: Int32Array[] = [];
  /** Label row id → its description tokens and field weights. */
  readonly #labels = new Map<number, { code: string; tokens: Int32Array; fields: Float32Array }>();
  #labelDf = new Int32Array(0);
  #numLabels = 0;

  private constructor(docIds: Int32Array) {
    this.docIds = docIds;
    docIds.forEach((id, i) => this.#docIndex.set(id, i));
  }

  /**
   * Tokenises every document and label description. Yields to the event loop every few hundred
   * items, so other requests are answered while a large corpus is indexed.
   */
  static async build(docs: readonly { id: number; text: string }[], labels: readonly SeedLabel[]): Promise<KeywordIndex> {
    const index = new KeywordIndex(Int32Array.from(docs, (d) => d.id));
    for (let i = 0; i < docs.length; i++) {
      index.#addDoc(docs[i]!.text);
      if (i % 200 === 199) await yieldToEventLoop();
    }
    const vocabSize = index.#words.length;
    const df = new Int32Array(vocabSize);
    for (const tokens of index.#docTokens) for (const t of tokens) df[t]!++;
    const postings = Array.from({ length: vocabSize }, (_, t) => new Int32Array(df[t]!));
    const fill = new Int32Array(vocabSize);
    index.#docTokens.forEach((tokens, d) => {
      for (const t of tokens) postings[t]![fill[t]!++] = d;
    });
    index.#postings = postings;
    index.#df = df;
    for (let i = 0; i < labels.length; i++) {
      index.#addLabel(labels[i]!);
      if (i % 5000 === 4999) await yieldToEventLoop();
    }
    // Tokens first seen in descriptions have no postings and df 0.
    const total = index.#words.length;
    const grownDf = new Int32Array(total);
    grownDf.set(df);
    index.#df = grownDf;
    for (let t = vocabSize; t < total; t++) index.#postings.push(new Int32Array(0));
    const labelDf = new Int32Array(total);
    for (const { tokens } of index.#labels.values()) for (const t of tokens) labelDf[t]!++;
    index.#labelDf = labelDf;
    index.#numLabels = index.#labels.size;
    index.#docNorms = Float64Array.from(index.#docTokens, (tokens, d) => {
      let s = 0;
      tokens.forEach((t, j) => (s += (index.#docCounts[d]![j]! * index.idf(t)) ** 2));
      return Math.sqrt(s);
    });
    return index;
  }

  get numDocs(): number {
    return this.docIds.length;
  }

  docIndex(docId: number): number | undefined {
    return this.#docIndex.get(docId);
  }

  /** Row ids of the indexed (assignable) labels. */
  labelIds(): IterableIterator<number> {
    return this.#labels.keys();
  }

  code(labelId: number): string {
    return this.#labels.get(labelId)?.code ?? '';
  }

  word(token: number): string {
    return this.#words[token] ?? '';
  }

  /** Smoothed corpus IDF, ln((1 + N) / (1 + df)) + 1, as in the description grades. */
  idf(token: number): number {
    return Math.log((1 + this.numDocs) / (1 + (this.#df[token] ?? 0))) + 1;
  }

  /** How distinctive a token is: corpus IDF × label IDF (rare in documents and among descriptions). */
  tokenWeight(token: number): number {
    return this.idf(token) * Math.log(1 + this.#numLabels / Math.max(1, this.#labelDf[token] ?? 0));
  }

  /** The label's most distinctive description tokens (see the module comment), best first. */
  descriptionSeeds(labelId: number, k: number): Seed[] {
    const label = this.#labels.get(labelId);
    if (!label) return [];
    const seeds: Seed[] = [];
    label.tokens.forEach((t, j) => {
      if (this.#tooCommon(t)) return;
      seeds.push({ token: t, weight: label.fields[j]! * this.tokenWeight(t) });
    });
    seeds.sort((a, b) => b.weight - a.weight || a.token - b.token);
    return seeds.slice(0, k);
  }

  /** Per-token document frequency over the given documents (indices). */
  documentFrequency(docs: Iterable<number>): Int32Array {
    const df = new Int32Array(this.#words.length);
    for (const d of docs) for (const t of this.#docTokens[d]!) df[t]!++;
    return df;
  }

  /**
   * The top-`k` tokens by normalised MI with a label whose positive training documents are
   * `positives`, over `numTraining` training documents with frequencies `trainDf`.
   */
  migSeeds(positives: readonly number[], trainDf: Int32Array, numTraining: number, k: number): Seed[] {
    const n11 = new Map<number, number>();
    for (const d of positives) for (const t of this.#docTokens[d]!) n11.set(t, (n11.get(t) ?? 0) + 1);
    const nL = positives.length;
    const seeds: Seed[] = [];
    for (const [t, n] of n11) {
      if (!isWord(this.#words[t]!) || this.#tooCommon(t) || !isPositivelyAssociated(n, trainDf[t]!, nL, numTraining)) continue;
      seeds.push({ token: t, weight: normalizedMutualInformation(n, trainDf[t]!, nL, numTraining) });
    }
    // Ties in J are common with a handful of examples: the more distinctive word first.
    seeds.sort((a, b) => b.weight - a.weight || this.tokenWeight(b.token) - this.tokenWeight(a.token) || a.token - b.token);
    return seeds.slice(0, k);
  }

  /**
   * Calls `visit` for every candidate document that covers at least `minCoverage` of the seeds'
   * weight, with its coverage in (0, 1], the matched weight and the matched tokens' bit mask
   * (bit i = seeds[i]). `candidates` null = every document.
   */
  cover(
    seeds: readonly Seed[],
    candidates: Uint8Array | null,
    minCoverage: number,
    scratch: Float64Array,
    visit: (doc: number, coverage: number, matchedWeight: number, matched: number) => void,
  ): void {
    let total = 0;
    for (const s of seeds) total += s.weight;
    if (total <= 0) return;
    const touched: number[] = [];
    const masks = new Map<number, number>();
    seeds.forEach((s, i) => {
      for (const d of this.#postings[s.token]!) {
        if (candidates && !candidates[d]) continue;
        if (scratch[d] === 0) touched.push(d);
        scratch[d]! += s.weight;
        masks.set(d, (masks.get(d) ?? 0) | (1 << i));
      }
    });
    for (const d of touched) {
      const weight = scratch[d]!;
      scratch[d] = 0;
      if (weight / total >= minCoverage) visit(d, weight / total, weight, masks.get(d)!);
    }
  }

  /** Cosine similarity of TF-IDF vectors between `doc` and every candidate, best first. */
  similar(doc: number, candidates: Uint8Array): { doc: number; score: number; shared: number[] }[] {
    const scores = new Float64Array(this.numDocs);
    const best = new Map<number, { token: number; w: number }[]>();
    const tokens = this.#docTokens[doc]!;
    const counts = this.#docCounts[doc]!;
    const maxDf = 0.3 * this.numDocs;
    tokens.forEach((t, j) => {
      if (this.#df[t]! > maxDf) return;
      const idf = this.idf(t);
      const wq = counts[j]! * idf;
      for (const d of this.#postings[t]!) {
        if (!candidates[d] || d === doc) continue;
        const k = this.#docTokens[d]!;
        const wd = this.#docCounts[d]![lowerBound(k, t)]! * idf;
        scores[d]! += wq * wd;
        if (isWord(this.#words[t]!)) {
          const list = best.get(d) ?? [];
          list.push({ token: t, w: wq * wd });
          best.set(d, list);
        }
      }
    });
    const qNorm = this.#docNorms[doc]!;
    const out: { doc: number; score: number; shared: number[] }[] = [];
    for (const [d, list] of best) {
      const denom = qNorm * this.#docNorms[d]!;
      if (denom <= 0) continue;
      list.sort((a, b) => b.w - a.w);
      out.push({ doc: d, score: scores[d]! / denom, shared: list.slice(0, 4).map((x) => x.token) });
    }
    out.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return out;
  }

  /** Words in more than 5% of documents are not evidence (a floor keeps tiny corpora usable). */
  #tooCommon(token: number): boolean {
    return this.#df[token]! > Math.max(3, 0.05 * this.numDocs);
  }

  #id(token: string): number {
    let id = this.#dict.get(token);
    if (id === undefined) {
      id = this.#words.length;
      this.#dict.set(token, id);
      this.#words.push(token);
    }
    return id;
  }

  #addDoc(text: string): void {
    const counts = new Map<number, number>();
    for (const token of tokenize(text)) {
      if (token.length < 2) continue;
      const id = this.#id(token);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const tokens = Int32Array.from(counts.keys()).sort();
    this.#docTokens.push(tokens);
    this.#docCounts.push(Uint16Array.from(tokens, (t) => Math.min(65535, counts.get(t)!)));
  }

  #addLabel(label: SeedLabel): void {
    const best = new Map<number, number>();
    const add = (text: string, weight: number): void => {
      for (const token of tokenize(text)) {
        if (!isWord(token)) continue;
        const id = this.#id(token);
        best.set(id, Math.max(best.get(id) ?? 0, weight));
      }
    };
    add(label.title, 1);
    if (label.synonyms !== '[]') for (const s of JSON.parse(label.synonyms) as string[]) add(s, 0.8);
    this.#labels.set(label.id, { code: label.code, tokens: Int32Array.from(best.keys()), fields: Float32Array.from(best.values()) });
  }
}

function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
