/**
 * The label side of keyword evidence: every assignable label's description tokens (title weight 1,
 * synonyms 0.8), how many descriptions hold each token, and each label's few description seeds
 * with the reverse map token → (label, weight) that lets a document find its labels in one pass
 * over its own tokens (queue/keyword-build.ts). Labels are addressed by a dense index 0…L−1.
 */
import { tokenize } from '../../plant/text/tokenizer';
import { descriptionSeeds, isWord, labelIdf, type Seed } from '../queue-keywords';
import type { CorpusIndex } from './corpus-index';

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
  /** token → the labels it seeds: CSR over token ids, with each entry's weight. */
  byTokenStarts: Int32Array;
  byTokenLabels: Int32Array;
  byTokenWeights: Float32Array;
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
    for (let i = 0; i < this.#labels.length; i++) {
      const label = this.#labels[i]!;
      const best = new Map<number, number>();
      const add = (text: string, weight: number): void => {
        for (const word of tokenize(text)) {
          if (!isWord(word)) continue;
          const t = corpus.tokenId(word);
          best.set(t, Math.max(best.get(t) ?? 0, weight));
        }
      };
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

  /** Fixes every label's evidence seeds (k each) and builds the token → labels map. */
  *freezeSeeds(k: number, corpusIdf: (t: number) => number, isCommon: (t: number) => boolean, vocabSize: number): Generator<void> {
    const starts = new Int32Array(this.size + 1);
    const tokens: number[] = [];
    const weights: number[] = [];
    const totals = new Float32Array(this.size);
    for (let l = 0; l < this.size; l++) {
      for (const s of this.descriptionSeeds(l, k, corpusIdf, isCommon)) {
        tokens.push(s.token);
        weights.push(s.weight);
        totals[l]! += s.weight;
      }
      starts[l + 1] = tokens.length;
      yield;
    }
    const byTokenStarts = new Int32Array(vocabSize + 1);
    for (const t of tokens) byTokenStarts[t + 1]!++;
    for (let t = 0; t < vocabSize; t++) byTokenStarts[t + 1]! += byTokenStarts[t]!;
    const fill = byTokenStarts.slice(0, vocabSize);
    const byTokenLabels = new Int32Array(tokens.length);
    const byTokenWeights = new Float32Array(tokens.length);
    for (let l = 0; l < this.size; l++) {
      for (let j = starts[l]!; j < starts[l + 1]!; j++) {
        const at = fill[tokens[j]!]!++;
        byTokenLabels[at] = l;
        byTokenWeights[at] = weights[j]!;
      }
    }
    this.#seeds = { starts, tokens: Int32Array.from(tokens), weights: Float32Array.from(weights), totals, byTokenStarts, byTokenLabels, byTokenWeights };
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

  /** Calls `visit(label, weight)` for each label `token` is an evidence seed of. */
  seededBy(token: number, visit: (dense: number, weight: number) => void): void {
    const s = this.#table();
    if (token + 1 >= s.byTokenStarts.length) return;
    for (let j = s.byTokenStarts[token]!; j < s.byTokenStarts[token + 1]!; j++) visit(s.byTokenLabels[j]!, s.byTokenWeights[j]!);
  }

  /** The raw token → labels table and each label's seed total, for the per-document hot loop. */
  seedIndex(): Pick<SeedTable, 'byTokenStarts' | 'byTokenLabels' | 'byTokenWeights' | 'totals'> {
    return this.#table();
  }

  #table(): SeedTable {
    if (!this.#seeds) throw new Error('LabelSeeds: seeds are not frozen yet');
    return this.#seeds;
  }
}
