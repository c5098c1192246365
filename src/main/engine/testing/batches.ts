import { idealDcg } from '../metrics/ndcg';
import { Rng } from '../rng';
import type { Batch } from '../runtime/types';


/** Random token ids [B, T] with trailing pads (doc b has T − b pads, at least 2 tokens). */
export function randomDocs(rng: Rng, B: number, T: number, V: number): { tokens: BigInt64Array; mask: Float32Array } {
  const tokens = new BigInt64Array(B * T);
  const mask = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    const len = Math.max(2, T - b);
    for (let t = 0; t < len; t++) {
      tokens[b * T + t] = BigInt(1 + rng.int(V - 1));
      mask[b * T + t] = 1;
    }
  }
  return { tokens, mask };
}

export function classifierBatch(seed: number, B: number, T: number, V: number, L: number, Ls: number | null): Batch {
  const rng = new Rng(seed);
  const { tokens, mask } = randomDocs(rng, B, T, V);
  const n = Ls ?? L;
  const batch: Batch = {
    tokens: { data: tokens, dims: [B, T] },
    mask: { data: mask, dims: [B, T] },
    targets: { data: Float32Array.from({ length: B * n }, () => (rng.next() < 0.3 ? 1 : 0)), dims: [B, n] },
  };
  if (Ls !== null) {
    const all = Array.from({ length: L }, (_, i) => i);
    rng.shuffle(all);
    batch.labels = { data: BigInt64Array.from(all.slice(0, Ls).map(BigInt)), dims: [Ls] };
  }
  return batch;
}

export function l2rBatch(seed: number, B: number, T: number, V: number, L: number, Ls: number, k = Infinity): Batch {
  const rng = new Rng(seed);
  const { tokens, mask } = randomDocs(rng, B, T, V);
  const grades = new Float32Array(B * Ls * T);
  const idcg = new Float32Array(B * Ls);
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < Ls; l++) {
      const valid: number[] = [];
      for (let t = 0; t < T; t++) {
        const gr = 1 + rng.int(101);
        grades[(b * Ls + l) * T + t] = gr;
        if (mask[b * T + t]) valid.push(gr);
      }
      idcg[b * Ls + l] = idealDcg(valid, k);
    }
  }
  const labels = Array.from({ length: L }, (_, i) => i);
  rng.shuffle(labels);
  return {
    tokens: { data: tokens, dims: [B, T] },
    mask: { data: mask, dims: [B, T] },
    labels: { data: BigInt64Array.from(labels.slice(0, Ls).map(BigInt)), dims: [Ls] },
    grades: { data: grades, dims: [B, Ls, T] },
    idcg: { data: idcg, dims: [B, Ls] },
    list_mask: { data: Float32Array.from({ length: B * Ls }, (_, i) => (i === 1 ? 0 : 1)), dims: [B, Ls] },
  };
}

export function pretrainBatch(seed: number, B: number, T: number, V: number, K: number, maskId: number): Batch {
  const rng = new Rng(seed);
  const { tokens, mask } = randomDocs(rng, B, T, V);
  const positions: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < B * T; i++) {
    if (mask[i] && (rng.next() < 0.3 || positions.length === 0)) {
      positions.push(i);
      targets.push(Number(tokens[i]));
      tokens[i] = BigInt(maskId);
    }
  }
  const negatives = Array.from({ length: K }, () => 1 + rng.int(V - 1));
  const negBias = new Float32Array(positions.length * K);
  targets.forEach((t, m) => negatives.forEach((n, k) => { if (n === t) negBias[m * K + k] = -1e9; }));
  return {
    tokens: { data: tokens, dims: [B, T] },
    mask: { data: mask, dims: [B, T] },
    positions: { data: BigInt64Array.from(positions.map(BigInt)), dims: [positions.length] },
    targets: { data: BigInt64Array.from(targets.map(BigInt)), dims: [targets.length] },
    negatives: { data: BigInt64Array.from(negatives.map(BigInt)), dims: [K] },
    neg_bias: { data: negBias, dims: [positions.length, K] },
  };
}
