import type { L2RConfig } from '../../engine/models/l2r';
import type { Params } from '../../engine/models/params';
import { meanNdcgAtK } from '../../engine/metrics/ndcg';
import { createTrainer } from '../../engine/runtime/trainer';
import type { GradeTable } from '../mig/grades';

/**
 * NDCG@k of the learning-to-rank scorer on held-out documents (PLANT.md Stage B: "monitor NDCG@k
 * on held-out docs"): for each document and each of its gold labels, rank the document's tokens by
 * h_t·u_l against the label's grades. Gains are grade − 1, so tokens at the floor count for
 * nothing and a list without any graded token (nothing to rank) is skipped instead of scoring a
 * trivial 1.
 */
export async function heldOutNdcg(config: L2RConfig, params: Params, docs: readonly Int32Array[], labels: readonly number[][], table: GradeTable, o: { k?: number; maxDocs?: number; threads?: number | undefined } = {}): Promise<number | null> {
  const k = o.k ?? 10;
  const trainer = await createTrainer({ model: { kind: 'l2r', config }, params, optimizer: { lr: 0 }, ...(o.threads ? { threads: o.threads } : {}) });
  let sum = 0;
  let n = 0;
  try {
    const limit = Math.min(docs.length, o.maxDocs ?? 200);
    for (let d = 0; d < limit; d++) {
      const ids = docs[d]!;
      const ls = [...new Set(labels[d]!)];
      if (ids.length === 0 || ls.length === 0) continue;
      const T = ids.length;
      const grades = new Float32Array(ls.length * T);
      ls.forEach((l, j) => {
        for (let t = 0; t < T; t++) grades[j * T + t] = table.gradeOf(l, ids[t]!) - 1;
      });
      const mask = new Float32Array(T).fill(1);
      const out = await trainer.evaluate({
        tokens: { data: BigInt64Array.from(ids, (x) => BigInt(x)), dims: [1, T] },
        mask: { data: mask, dims: [1, T] },
        labels: { data: BigInt64Array.from(ls, (x) => BigInt(x)), dims: [ls.length] },
        grades: { data: grades, dims: [1, ls.length, T] },
        idcg: { data: new Float32Array(ls.length).fill(1), dims: [1, ls.length] },
        list_mask: { data: new Float32Array(ls.length).fill(1), dims: [1, ls.length] },
      });
      const scores = out.outputs.scores!.data as Float32Array;
      // count lists with something to rank, weighting the mean by lists as meanNdcgAtK does
      let lists = 0;
      for (let j = 0; j < ls.length; j++) if (grades.subarray(j * T, (j + 1) * T).some((g) => g > 0)) lists++;
      if (lists === 0) continue;
      sum += meanNdcgAtK(scores, grades, mask, [1, ls.length, T], k) * lists;
      n += lists;
    }
  } finally {
    await trainer.dispose();
  }
  return n > 0 ? sum / n : null;
}
