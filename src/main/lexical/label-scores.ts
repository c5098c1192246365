/**
 * The ranker's score of chosen labels for a document, whether or not beam search would reach
 * them: the label's path score (the product of post(w·x + b) over its node and every ancestor,
 * exactly what `rankLabels` gives a label it keeps). The label-errors audit needs the score of
 * each gold label, and a low one is the evidence, so "not in the beam" is not good enough.
 */
import { postScore, RankerScratch, scoreGroup, type LexicalRanker } from './ranker';
import type { SparseVector } from './sparse';
import { ancestors } from './tree';

export class LabelPathScorer {
  readonly #ranker: LexicalRanker;
  /** [levels][label nodes] the node at each level on the label node's path. */
  readonly #anc: Int32Array[];
  /** [model labels] the label's node in the last level, −1 when it has no model (no training documents). */
  readonly #nodeOf: Int32Array;
  readonly #scratch = new RankerScratch();

  constructor(ranker: LexicalRanker, numLabels: number) {
    this.#ranker = ranker;
    this.#anc = ancestors(ranker.tree);
    this.#nodeOf = new Int32Array(numLabels).fill(-1);
    ranker.tree.labels.forEach((l, q) => (this.#nodeOf[l] = q));
  }

  /** Whether the ranker can score the label at all (it had training documents). */
  has(label: number): boolean {
    return (this.#nodeOf[label] ?? -1) >= 0;
  }

  /** Path score in (0, 1] of each label for x; NaN for labels the ranker has no model of. */
  scores(x: SparseVector, labels: ArrayLike<number>): Float32Array {
    const out = new Float32Array(labels.length);
    const r = this.#ranker;
    const K = r.levels.length;
    // One group's scores serve every asked label below the same parent: memo per (level, parent).
    const memo = new Map<number, Float64Array>();
    for (let i = 0; i < labels.length; i++) {
      const q = this.#nodeOf[labels[i]!] ?? -1;
      if (q < 0) {
        out[i] = Number.NaN;
        continue;
      }
      let path = 1;
      for (let k = 0; k < K; k++) {
        const node = this.#anc[k]![q]!;
        const parent = k === 0 ? 0 : this.#anc[k - 1]![q]!;
        const cs = r.tree.levels[k]!.childStart;
        const first = cs[parent]!;
        const key = k * 0x1000000 + parent;
        let acc = memo.get(key);
        if (!acc) {
          acc = this.#scratch.acc(cs[parent + 1]! - first).slice();
          scoreGroup(r.levels[k]!, parent, x, acc);
          memo.set(key, acc);
        }
        path *= postScore(r.loss, acc[node - first]! + r.levels[k]!.bias[node]!);
      }
      out[i] = path;
    }
    return out;
  }
}
