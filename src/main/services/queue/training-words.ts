/**
 * Token statistics over the training documents, for MIG seeds (PLANT.md Stage A): how many
 * training documents hold each token. Read from a complete corpus index; a few milliseconds per
 * 10,000 training documents, rebuilt when the training set changes.
 */
import { isWord, migSeeds, tooCommon, type Seed } from '../queue-keywords';
import type { CorpusIndex } from './corpus-index';

export class TrainingWords {
  readonly numTraining: number;
  readonly #df: Int32Array;
  readonly #corpus: CorpusIndex;

  constructor(corpus: CorpusIndex, trainingDocIds: readonly number[]) {
    this.#corpus = corpus;
    this.#df = new Int32Array(corpus.vocabSize);
    let n = 0;
    for (const id of trainingDocIds) {
      const position = corpus.docIndex(id);
      if (position === undefined) continue;
      n++;
      for (const t of corpus.tokensOf(position)) this.#df[t]!++;
    }
    this.numTraining = n;
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
