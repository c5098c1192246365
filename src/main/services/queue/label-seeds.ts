/**
 * The label side of keyword evidence: every assignable label's description tokens (title weight 1,
 * synonyms 0.8), how many descriptions hold each token, and each label's few description seeds
 * with the reverse map token → (label, weight) that lets a document find its labels in one pass
 * over its own tokens (queue/keyword-build.ts). Labels are addressed by a dense index 0…L−1.
 */
import { tokenize } from '../../plant/text/tokenizer';
import { descriptionSeeds, isWord, labelIdf, type Seed } from '../queue-keywords';
import type { CorpusIndex } from './corpus-index';
import type { LabelTokens } from './label-token-cache';

export interface LabelDescription {
  id: number;
  code: string;
  title: string;
  /** JSON array of strings, as stored. */
  synonyms: string;
}

/** Seeds per label (for evidence), frozen once computed: CSR over dense label indices. */
interface SeedTable {
  starts: Int32Array;
  tokens: Int32Array;
  weights: Float32Array;
  totals: Float32Array;
  /**
   * token → the labels it *triggers*: CSR over token ids. A label's triggers are its heaviest
   * seeds, as few as make the rest weigh less than `minCoverage` of the total, so a document that
   * covers the label must hold one of them. A common word is rarely a heavy seed: looking labels
   * up through their triggers only visits a fraction of what all seeds would (exact, not a cut).
   */
  byTokenStarts: Int32Array;
  byTokenLabels: Int32Array;
}

/**
 * Built in steps (`tokenize`, then `freezeSeeds`, both generators that yield after every label),
 * so a 94,000-label catalogue is prepared in time slices without blocking the host.
 */
export class LabelSeeds {
  readonly ids: Int32Array;
  readonly codes: string[];
  readonly titles: string[];
  readonly #labels: readonly LabelDescription[];
  readonly #dense = new Map<number, number>();
  readonly #starts: Int32Array;
  #tokens: number[] = [];
  #fields: number[] = [];
  #labelDf = new Int32Array(0);
  #seeds: SeedTable | null = null;

  constructor(labels: readonly LabelDescription[]) {
    this.#labels = labels;
    this.ids = Int32Array.from(labels, (l) => l.id);
    this.codes = labels.map((l) => l.code);
    this.titles = labels.map((l) => l.title);
    labels.forEach((l, i) => this.#dense.set(l.id, i));
    this.#starts = new Int32Array(labels.length + 1);
  }

  get size(): number {
    return this.ids.length;
  }

  dense(labelId: number): number | undefined {
    return this.#dense.get(labelId);
  }

  /** Tokenises the descriptions into the corpus's token ids (words no document has get new ids). */
  *tokenize(corpus: CorpusIndex): Generator<void> {
    // One map and one closure for every label: 94,000 labels paid for a fresh pair each.
    const best = new Map<number, number>();
    const add = (text: string, weight: number): void => {
      for (const word of tokenize(text)) {
        if (!isWord(word)) continue;
        const t = corpus.tokenId(word);
        const had = best.get(t);
        if (had === undefined || had < weight) best.set(t, weight);
      }
    };
    for (let i = 0; i < this.#labels.length; i++) {
      const label = this.#labels[i]!;
      best.clear();
      add(label.title, 1);
      if (label.synonyms !== '[]') for (const syn of JSON.parse(label.synonyms) as string[]) add(syn, 0.8);
      for (const [t, w] of best) {
        this.#tokens.push(t);
        this.#fields.push(w);
      }
      this.#starts[i + 1] = this.#tokens.length;
      yield;
    }
    this.#labelDf = new Int32Array(corpus.vocabSize);
    for (const t of this.#tokens) this.#labelDf[t]!++;
  }

  /** The descriptions' tokens as words, for the cache between processes (queue/label-token-cache.ts). */
  *tokenWords(corpus: CorpusIndex): Generator<void, LabelTokens> {
    const index = new Map<number, number>();
    const words: string[] = [];
    const wordIndex = new Int32Array(this.#tokens.length);
    for (let j = 0; j < this.#tokens.length; j++) {
      const t = this.#tokens[j]!;
      let w = index.get(t);
      if (w === undefined) {
        index.set(t, (w = words.length));
        words.push(corpus.word(t));
      }
      wordIndex[j] = w;
      if ((j & 16383) === 16383) yield;
    }
    return { words, starts: this.#starts.slice(), wordIndex, fields: Float64Array.from(this.#fields) };
  }

  /** What `tokenize` gives, from cached words: each word's corpus id, without tokenising a title. */
  *useTokenWords(corpus: CorpusIndex, cached: LabelTokens): Generator<void> {
    const ids = new Int32Array(cached.words.length);
    for (let w = 0; w < cached.words.length; w++) {
      ids[w] = corpus.tokenId(cached.words[w]!);
      if ((w & 4095) === 4095) yield;
    }
    for (let j = 0; j < cached.wordIndex.length; j++) {
      this.#tokens.push(ids[cached.wordIndex[j]!]!);
      this.#fields.push(cached.fields[j]!);
      if ((j & 16383) === 16383) yield;
    }
    this.#starts.set(cached.starts);
    this.#labelDf = new Int32Array(corpus.vocabSize);
    for (const t of this.#tokens) this.#labelDf[t]!++;
  }

  /** Corpus IDF × label IDF: rare in documents and among descriptions. */
  tokenWeight(token: number, corpusIdf: (t: number) => number): number {
    return corpusIdf(token) * labelIdf(this.#labelDf[token] ?? 0, this.size);
  }

  /** The label's `k` most distinctive description tokens under the given corpus statistics. */
  descriptionSeeds(dense: number, k: number, corpusIdf: (t: number) => number, isCommon: (t: number) => boolean): Seed[] {
    const from = this.#starts[dense]!;
    const to = this.#starts[dense + 1]!;
    return descriptionSeeds(this.#tokens.slice(from, to), this.#fields.slice(from, to), (t) => this.tokenWeight(t, corpusIdf), isCommon, k);
  }

  /** Fixes every label's evidence seeds (k each, heaviest first) and builds the trigger map. */
  *freezeSeeds(k: number, minCoverage: number, corpusIdf: (t: number) => number, isCommon: (t: number) => boolean, vocabSize: number): Generator<void> {
    const starts = new Int32Array(this.size + 1);
    const tokens: number[] = [];
    const weights: number[] = [];
    const totals = new Float32Array(this.size);
    const triggerCount = new Int32Array(this.size);
    for (let l = 0; l < this.size; l++) {
      const seeds = this.descriptionSeeds(l, k, corpusIdf, isCommon);
      let total = 0;
      for (const s of seeds) {
        tokens.push(s.token);
        weights.push(s.weight);
        total += s.weight;
      }
      totals[l] = total;
      let rest = total;
      let n = 0;
      while (n < seeds.length && rest >= minCoverage * total) rest -= seeds[n++]!.weight;
      triggerCount[l] = n;
      starts[l + 1] = tokens.length;
      yield;
    }
    const byTokenStarts = new Int32Array(vocabSize + 1);
    for (let l = 0; l < this.size; l++) for (let j = starts[l]!; j < starts[l]! + triggerCount[l]!; j++) byTokenStarts[tokens[j]! + 1]!++;
    for (let t = 0; t < vocabSize; t++) byTokenStarts[t + 1]! += byTokenStarts[t]!;
    const fill = byTokenStarts.slice(0, vocabSize);
    const byTokenLabels = new Int32Array(byTokenStarts[vocabSize]!);
    for (let l = 0; l < this.size; l++) for (let j = starts[l]!; j < starts[l]! + triggerCount[l]!; j++) byTokenLabels[fill[tokens[j]!]!++] = l;
    this.#seeds = { starts, tokens: Int32Array.from(tokens), weights: Float32Array.from(weights), totals, byTokenStarts, byTokenLabels };
  }

  get frozen(): boolean {
    return this.#seeds !== null;
  }

  /** The frozen evidence seeds of one label. */
  seedsOf(dense: number): Seed[] {
    const s = this.#table();
    const out: Seed[] = [];
    for (let j = s.starts[dense]!; j < s.starts[dense + 1]!; j++) out.push({ token: s.tokens[j]!, weight: s.weights[j]! });
    return out;
  }

  seedTotal(dense: number): number {
    return this.#table().totals[dense]!;
  }

  /** The raw tables, for the per-document hot loop (queue/keyword-build.ts). */
  seedIndex(): Readonly<SeedTable> {
    return this.#table();
  }

  #table(): SeedTable {
    if (!this.#seeds) throw new Error('LabelSeeds: seeds are not frozen yet');
    return this.#seeds;
  }
}
