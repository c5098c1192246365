/**
 * Matcher-aware hard negatives (PECOS XR-Linear's "MAN"). A node model trained only on the
 * documents of its parent's labels (teacher forcing) never sees the documents that the beam search
 * routes to that parent by mistake, so at prediction its scores for them are unchecked and a
 * wrong cluster's labels can outrank the right ones. Routing every training document through the
 * levels already trained, and adding it to the groups of the parents its beam reaches, gives those
 * models exactly the negatives they will meet.
 */
import { rankLabels, RankerScratch, type LexicalRanker, type RankerLevel } from './ranker';
import { rowOf, type Csr } from './sparse';
import type { LabelTree } from './tree';

/**
 * For each row of X, the `beam` best nodes of level k by the trained levels 0..k (nodes of level
 * k are the parents of level k + 1's groups), ascending by node id.
 */
export function matcherParents(tree: LabelTree, trained: readonly RankerLevel[], k: number, X: Csr, beam: number, loss: LexicalRanker['loss']): Int32Array[] {
  if (trained.length < k + 1) throw new Error(`matcherParents: level ${k} is not trained yet`);
  const nodes = tree.levels[k]!.childStart;
  const count = nodes[nodes.length - 1]!;
  // levels 0..k as a ranker of their own whose "labels" are level k's nodes
  const partial: LexicalRanker = { tree: { levels: tree.levels.slice(0, k + 1), labels: Int32Array.from({ length: count }, (_, q) => q) }, levels: trained.slice(0, k + 1), loss };
  const scratch = new RankerScratch();
  const out: Int32Array[] = new Array(X.rows);
  for (let d = 0; d < X.rows; d++) out[d] = rankLabels(partial, rowOf(X, d), { beam, topK: beam }, scratch).labels.sort();
  return out;
}
