/**
 * PIFA label vectors (Positive Instance Feature Aggregation; Parabel, PECOS XR-Linear): a label is
 * the L2-normalised sum of the L2-normalised TF-IDF rows of its training documents. Planter keeps
 * each label's `maxTerms` largest entries, which bounds memory by labels × maxTerms instead of by
 * the corpus' nnz × labels per document (≈ 120M entries at EURLEX57K-45,000), and is all the
 * clustering needs.
 */
import type { Csr, SparseVector } from './sparse';

/** Documents of each label as CSR: `docs[start[l] .. start[l + 1])` (ascending). */
export interface LabelDocs {
  start: Int32Array;
  docs: Int32Array;
}

export function labelDocs(docLabels: readonly ArrayLike<number>[], numLabels: number): LabelDocs {
  const count = new Int32Array(numLabels + 1);
  for (const ls of docLabels) for (const l of new Set(Array.from(ls))) count[l + 1]!++;
  for (let l = 0; l < numLabels; l++) count[l + 1]! += count[l]!;
  const start = Int32Array.from(count);
  const fill = Int32Array.from(count);
  const docs = new Int32Array(start[numLabels]!);
  docLabels.forEach((ls, d) => {
    for (const l of new Set(Array.from(ls))) docs[fill[l]!++] = d;
  });
  return { start, docs };
}

export const docsOf = (ld: LabelDocs, l: number): Int32Array => ld.docs.subarray(ld.start[l]!, ld.start[l + 1]!);

/** Indices of the k largest |values| (ties: lower index), ascending by index. */
function topIndices(touched: number[], acc: Float64Array, k: number): number[] {
  if (touched.length <= k) return [...touched].sort((a, b) => a - b);
  return [...touched].sort((a, b) => Math.abs(acc[b]!) - Math.abs(acc[a]!) || a - b).slice(0, k).sort((a, b) => a - b);
}

/** PIFA vectors of `labels` (empty vectors for labels without documents). */
export function pifaVectors(X: Csr, ld: LabelDocs, labels: ArrayLike<number>, maxTerms = 256): SparseVector[] {
  const acc = new Float64Array(X.cols);
  const out: SparseVector[] = [];
  for (let j = 0; j < labels.length; j++) {
    const touched: number[] = [];
    for (const d of docsOf(ld, labels[j]!)) {
      for (let k = X.indptr[d]!, end = X.indptr[d + 1]!; k < end; k++) {
        const f = X.indices[k]!;
        if (acc[f] === 0) touched.push(f);
        acc[f]! += X.data[k]!;
      }
    }
    const keep = topIndices(touched, acc, maxTerms);
    let norm = 0;
    for (const f of keep) norm += acc[f]! * acc[f]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    out.push({ indices: Int32Array.from(keep), values: Float32Array.from(keep, (f) => acc[f]! * scale) });
    for (const f of touched) acc[f] = 0;
  }
  return out;
}
