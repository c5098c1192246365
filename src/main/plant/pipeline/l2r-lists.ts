import type { GradeTable } from '../mig/grades';

/** Tokens at or above this grade count as a label's evidence when choosing lists. */
export const EVIDENCE_GRADE = 50;
/** How many of a label's best tokens are indexed for matching. */
export const EVIDENCE_TOKENS = 10;

/**
 * Chooses which labels each document is ranked for in Stage B. A list is useful when the
 * document holds some of the label's graded tokens: then there is something to rank. Gold
 * labels always get a list; beyond those, a document gets lists for the labels whose best
 * tokens it contains, up to `maxPerDoc`, the labels with the fewest lists so far first (gold
 * lists of every document counted up front), then the rarest. Without extra lists, a label with
 * two training documents got about two lists an epoch and its query stayed near its random
 * start, attending to "of" and "the" (measured on CodiEsp). Without the balancing, rarest-first
 * alone gave the few labels without training documents most of the extra lists (EURLEX57K,
 * 45,000 documents: 89 such labels took 7,892 of 19,200 lists) and the 1–5-document labels
 * almost none. Unlabelled documents take part the same way: the targets are grades, not gold
 * labels.
 *
 * @returns per document, the label ids to build lists for (gold first).
 */
export function listLabels(docs: readonly Int32Array[], gold: readonly (readonly number[])[], table: GradeTable, trainFreq: ArrayLike<number>, maxPerDoc: number): Int32Array[] {
  // token → labels having it among their best tokens
  const byToken = new Map<number, number[]>();
  for (let l = 0; l < table.numLabels; l++) {
    const g = table.label(l);
    const best = Array.from(g.tokens, (t, i) => [g.grades[i]!, t] as const)
      .filter(([grade]) => grade >= EVIDENCE_GRADE)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, EVIDENCE_TOKENS);
    for (const [, t] of best) {
      const list = byToken.get(t);
      if (list) list.push(l);
      else byToken.set(t, [l]);
    }
  }
  const lists = new Int32Array(table.numLabels);
  for (const g of gold) for (const l of new Set(g)) lists[l]!++;
  return docs.map((ids, d) => {
    const chosen = new Set(gold[d] ?? []);
    const hits = new Map<number, number>();
    for (const t of new Set(ids)) for (const l of byToken.get(t) ?? []) if (!chosen.has(l)) hits.set(l, (hits.get(l) ?? 0) + 1);
    const extra = [...hits.entries()].sort((a, b) => lists[a[0]]! - lists[b[0]]! || trainFreq[a[0]]! - trainFreq[b[0]]! || b[1] - a[1] || a[0] - b[0]);
    for (const [l] of extra) {
      if (chosen.size >= maxPerDoc) break;
      chosen.add(l);
      lists[l]!++;
    }
    return Int32Array.from(chosen);
  });
}
