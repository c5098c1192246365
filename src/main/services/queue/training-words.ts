/**
 * Token statistics over the training documents, for MIG seeds (PLANT.md Stage A): how many
 * training documents hold each token. Read from a complete corpus index; a few milliseconds per
 * 10,000 training documents; kept up to date document by document when the training set changes
 * (a rebuild over 50,000 training documents cost a page after annotation writes ~100 ms).
 */
import { isWord, migSeeds, tooCommon, type Seed } from '../queue-keywords';
import type { CorpusIndex } from './corpus-index';

export class TrainingWords {
  #df: Int32Array;
  readonly #corpus: CorpusIndex;
  /** The indexed training documents counted in #df. */
  readonly #members = new Set<number>();

  constructor(corpus: CorpusIndex, trainingDocIds: readonly number[]) {
    this.#corpus = corpus;
    this.#df = new Int32Array(corpus.vocabSize);
    for (const id of trainingDocIds) this.#count(id, 1);
  }

  get numTraining(): number {
    return this.#members.size;
  }

  /**
   * Brings the counts up to date with documents whose training status may have changed:
   * `changed` the documents written, `nowTraining` those of them that are training documents now.
   * True when any count moved.
   */
  update(changed: readonly number[], nowTraining: ReadonlySet<number>): boolean {
    let moved = false;
    for (const id of new Set(changed)) {
      const now = nowTraining.has(id);
      if (now !== this.#members.has(id)) moved = this.#count(id, now ? 1 : -1) || moved;
    }
    return moved;
  }

  #count(id: number, sign: 1 | -1): boolean {
    const position = this.#corpus.docIndex(id);
    if (position === undefined) return false;
    if (sign === 1) this.#members.add(id);
    else this.#members.delete(id);
    if (this.#df.length < this.#corpus.vocabSize) {
      // the index grew (documents indexed, description words) since the counts were made
      const grown = new Int32Array(this.#corpus.vocabSize);
      grown.set(this.#df);
      this.#df = grown;
    }
    for (const t of this.#corpus.tokensOf(position)) this.#df[t]! += sign;
    return true;
  }

  df(token: number): number {
    return this.#df[token] ?? 0;
  }

  /**
   * A label's top-`k` MIG tokens over the training documents, each weighted by `weight` (its
   * distinctiveness, as description tokens are), so MIG and description seeds share one scale.
   */
  seeds(positiveDocIds: readonly number[], k: number, weight: (t: number) => number): Seed[] {
    const n11 = new Map<number, number>();
    let positives = 0;
    for (const id of positiveDocIds) {
      const position = this.#corpus.docIndex(id);
      if (position === undefined) continue;
      positives++;
      for (const t of this.#corpus.tokensOf(position)) n11.set(t, (n11.get(t) ?? 0) + 1);
    }
    const eligible = (t: number): boolean => isWord(this.#corpus.word(t)) && !tooCommon(this.#corpus.df(t), this.#corpus.numDocs);
    return migSeeds(n11, (t) => this.df(t), positives, this.numTraining, eligible, weight, k).map((s) => ({ token: s.token, weight: weight(s.token) }));
  }
}
