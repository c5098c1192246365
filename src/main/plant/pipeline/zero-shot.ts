import type { Params } from '../../engine/models/params';
import type { PlantDoc } from './corpus';

/** Labels with training documents (fine-tuned) and without (kept as planted). */
export interface LabelSplit {
  /** Model label ids that have training documents, ascending; index = row in the sub-model. */
  trained: number[];
  /** [L] row in the sub-model, or −1 for a label without training documents. */
  rowOf: Int32Array;
}

/** Labels with more than `plantedMaxDocs` training documents are fine-tuned; the others keep their planted rows. */
export function splitLabels(trainFreq: ArrayLike<number>, plantedMaxDocs = 0): LabelSplit {
  const trained: number[] = [];
  const rowOf = new Int32Array(trainFreq.length).fill(-1);
  for (let l = 0; l < trainFreq.length; l++) if (trainFreq[l]! > plantedMaxDocs) rowOf[l] = trained.push(l) - 1;
  return { trained, rowOf };
}

/** The rarest tenth of the fine-tuned labels: the reference scale for planted-only labels. */
function rarestTrained(split: LabelSplit, trainFreq: ArrayLike<number>): number[] {
  const rows = split.trained.map((l, r) => [trainFreq[l]!, r] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return rows.slice(0, Math.max(1, Math.ceil(rows.length / 10))).map(([, r]) => r);
}

/** Documents with their labels renumbered into the sub-model (labels without a row are dropped). */
export function remapDocs(docs: readonly PlantDoc[], split: LabelSplit): PlantDoc[] {
  return docs.map((d) => ({ ...d, labels: d.labels.map((l) => split.rowOf[l]!).filter((r) => r >= 0) }));
}

/** The rows of U, W, b for the trained labels (the encoder is shared). */
export function subParams(full: Params, split: LabelSplit, dim: number): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(full)) {
    if (k === 'cls.U' || k === 'cls.W') {
      const rows = new Float32Array(split.trained.length * dim);
      split.trained.forEach((l, r) => rows.set(v.subarray(l * dim, (l + 1) * dim), r * dim));
      out[k] = rows;
    } else if (k === 'cls.b') out[k] = Float32Array.from(split.trained, (l) => v[l]!);
    else out[k] = v;
  }
  return out;
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * Puts the fine-tuned rows back into the full label space. Labels without training documents keep
 * their planted query U (their attention is all they have: description and MIG grades), and their
 * head is put on the scale of the rarest tenth of the trained labels — W rescaled to their median
 * norm, b to their median bias (then calibrated) — so their scores are comparable
 * with the rest instead of dominating or vanishing.
 */
export function mergeParams(planted: Params, fine: Params, split: LabelSplit, trainFreq: ArrayLike<number>, dim: number): Params {
  const out: Params = { ...fine };
  const L = split.rowOf.length;
  const u = new Float32Array(L * dim);
  const w = new Float32Array(L * dim);
  const b = new Float32Array(L);
  const pool = rarestTrained(split, trainFreq);
  const norm = (v: Float32Array, r: number): number => Math.hypot(...v.subarray(r * dim, (r + 1) * dim));
  const targetNorm = median(pool.map((r) => norm(fine['cls.W']!, r)));
  const targetBias = median(pool.map((r) => fine['cls.b']![r]!));
  for (let l = 0; l < L; l++) {
    const r = split.rowOf[l]!;
    if (r >= 0) {
      u.set(fine['cls.U']!.subarray(r * dim, (r + 1) * dim), l * dim);
      w.set(fine['cls.W']!.subarray(r * dim, (r + 1) * dim), l * dim);
      b[l] = fine['cls.b']![r]!;
    } else {
      u.set(planted['cls.U']!.subarray(l * dim, (l + 1) * dim), l * dim);
      const pw = planted['cls.W']!.subarray(l * dim, (l + 1) * dim);
      const n = Math.hypot(...pw) || 1;
      for (let i = 0; i < dim; i++) w[l * dim + i] = (pw[i]! * targetNorm) / n;
      b[l] = targetBias;
    }
  }
  out['cls.U'] = u;
  out['cls.W'] = w;
  out['cls.b'] = b;
  return out;
}

const logit = (p: number): number => Math.log(Math.max(p, 1e-7) / Math.max(1 - p, 1e-7));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

/**
 * Calibrates the biases of labels without training documents from their scores on training
 * documents (where every one of them is a negative): each gets the bias that puts its 95th
 * percentile logit where the rarest tenth of the trained labels have theirs on their negatives.
 * Planted heads differ in scale from trained ones; without this, zero-shot labels either topped
 * every ranking (measured: CodiEsp P@1 fell from 0.66 to 0.10) or never appeared.
 *
 * @param scores sigmoid scores [D][L] of `docs` under the merged parameters
 */
export function calibrateZeroShotBiases(params: Params, scores: readonly Float32Array[], docs: readonly PlantDoc[], split: LabelSplit, trainFreq: ArrayLike<number>): void {
  const L = split.rowOf.length;
  const b = params['cls.b']!;
  const targets: number[] = [];
  const positive = docs.map((d) => new Set(d.labels));
  for (const r of rarestTrained(split, trainFreq)) {
    const l = split.trained[r]!;
    const neg = scores.flatMap((row, d) => (positive[d]!.has(l) ? [] : [logit(row[l]!)]));
    if (neg.length) targets.push(quantile(neg, 0.95));
  }
  if (targets.length === 0) return;
  const target = median(targets);
  for (let l = 0; l < L; l++) {
    if (split.rowOf[l]! >= 0) continue;
    const current = quantile(scores.map((row) => logit(row[l]!)), 0.95);
    b[l] = b[l]! + (target - current);
  }
}
