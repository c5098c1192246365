import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { ClassifierConfig } from '../models/classifier';
import { classifierParams } from '../models/classifier';
import { at } from '../graph/checked';
import { initParams, paramOf } from '../models/params';
import type { Params } from '../models/params';
import { Rng } from '../rng';
import { createTrainer } from '../runtime/trainer';
import { exportClassifier } from './export';
import { createPredictor, topKIndices } from './predictor';
import { fitShortlist } from './shortlist-fit';

const V = 40;
const L = 12;
const config: ClassifierConfig = { encoder: { vocab: V, dim: 8, kernel: 3, layers: 2, residual: true, activation: 'relu' }, labels: L, shortlistHidden: 32 };

function params(seed = 1): Params {
  const p = initParams(classifierParams({ ...config, shortlist: true }), seed);
  // sharper attention than the 0.01 init, so evidence and rankings are not ties
  p['cls.U'] = paramOf(p, 'cls.U').map((_, i) => Math.sin(i * 0.7) * 0.8);
  return p;
}
function docs(n: number, seed = 2): Int32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Int32Array.from({ length: 3 + rng.int(10) }, () => 1 + rng.int(V - 1)));
}

describe('topKIndices', () => {
  it('matches a full sort, ties by index, k larger than n', () => {
    const rng = new Rng(3);
    const xs = Float32Array.from({ length: 500 }, () => Math.round(rng.next() * 50));
    const full = Array.from({ length: 500 }, (_, i) => i).sort((a, b) => at(xs, b, 'xs') - at(xs, a, 'xs') || a - b);
    expect(topKIndices(xs, 500, 17)).toEqual(full.slice(0, 17));
    expect(topKIndices([1, 3, 2], 3, 10)).toEqual([1, 2, 0]);
  });
});

describe('export and prediction', () => {
  it('the exported exact model stands alone: inputs token_ids and mask, output scores, metadata', async () => {
    const bytes = exportClassifier(config, params(), 'exact');
    const s = await ort.InferenceSession.create(bytes);
    expect(s.inputNames).toEqual(['token_ids', 'mask']);
    expect(s.outputNames).toEqual(['scores']);
    await s.release();
    const m = onnxProto.onnx.ModelProto.decode(bytes);
    expect(m.metadataProps.find((x) => x.key === 'planter.labels')?.value).toBe(String(L));
  });

  it('predicted scores equal sigmoid of the training graph logits, padded or not', async () => {
    const p = params();
    const ds = docs(5);
    const t = await createTrainer({ model: { kind: 'classifier', sampled: false, config: { ...config, shortlist: true } }, optimizer: { lr: 0 }, params: p });
    const pred = await createPredictor({ config, params: p }, { batchSize: 2 });
    try {
      const all = await pred.scoreAll(ds);
      for (const [i, d] of ds.entries()) {
        const T = d.length;
        const e = await t.evaluate({
          tokens: { data: BigInt64Array.from(Array.from(d, BigInt)), dims: [1, T] },
          mask: { data: new Float32Array(T).fill(1), dims: [1, T] },
          targets: { data: new Float32Array(L), dims: [1, L] },
        });
        const logits = e.outputs.logits;
        if (!logits) throw new Error('evaluate returned no logits');
        const z = logits.data as Float32Array;
        for (let l = 0; l < L; l++) expect(at(all, i, 'scores')[l]).toBeCloseTo(1 / (1 + Math.exp(-at(z, l, 'logits'))), 5);
      }
    } finally {
      await t.dispose();
      await pred.dispose();
    }
  });

  it('explain: scores match exact, evidence is sorted, on real tokens, and weights are attention (sum ≤ 1)', async () => {
    const p = params();
    const pred = await createPredictor({ config, params: p }, { evidenceK: 3 });
    try {
      const d = at(docs(1), 0, 'docs');
      const exact = at(await pred.scoreAll([d]), 0, 'scores');
      const ev = await pred.explain(d, [0, 5, 11]);
      for (const e of ev) {
        expect(e.score).toBeCloseTo(at(exact, e.label, 'exact scores'), 6);
        expect(e.positions.every((q) => q >= 0 && q < d.length)).toBe(true);
        expect(e.weights).toEqual([...e.weights].sort((a, b) => b - a));
        expect(e.weights.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
      }
      expect(at(await pred.explain(d, [2], 2), 0, 'evidence').positions).toHaveLength(2);
      // a document shorter than k: padded up to k, pads never chosen while real tokens remain
      const short = await pred.explain([7, 9], [1, 2]);
      for (const e of short) expect(e.positions.slice(0, 2).sort()).toEqual([0, 1]);
    } finally {
      await pred.dispose();
    }
  });

  it('a shortlist of all L labels gives exactly the exact top-K', async () => {
    const pred = await createPredictor({ config, params: params() }, { candidates: L });
    try {
      const ds = docs(6);
      const exact = await pred.predict(ds, { topK: 4 });
      const short = await pred.predict(ds, { topK: 4, shortlist: true });
      short.forEach((s, i) => {
        const e = at(exact, i, 'exact predictions');
        expect(s.map((x) => x.label)).toEqual(e.map((x) => x.label));
        s.forEach((x, j) => expect(x.score).toBeCloseTo(at(e, j, 'exact top-K').score, 6));
      });
    } finally {
      await pred.dispose();
    }
  });

  it('fitting the shortlist scorer raises the recall of the exact top-3 among C = 4 candidates', async () => {
    const p = params();
    const ds = docs(200, 9);
    const recall = async (pp: Params): Promise<number> => {
      const pred = await createPredictor({ config, params: pp }, { candidates: 4 });
      try {
        const ex = await pred.predict(ds, { topK: 3 });
        const sh = await pred.predict(ds, { topK: 4, shortlist: true });
        let hit = 0;
        ex.forEach((e, i) => { const s = new Set(at(sh, i, 'shortlist predictions').map((x) => x.label)); hit += e.filter((x) => s.has(x.label)).length; });
        return hit / (3 * ds.length);
      } finally {
        await pred.dispose();
      }
    };
    const before = await recall(p);
    const losses: number[] = [];
    const fitted = await fitShortlist(config, p, ds, { epochs: 40, lr: 0.01, batchSize: 50, topK: 3, onEpoch: (_, l) => losses.push(l) });
    const after = await recall({ ...p, ...fitted });
    expect(losses.at(-1)!).toBeLessThan(at(losses, 0, 'losses'));
    expect(after).toBeGreaterThan(before);
    expect(after).toBeGreaterThan(0.8);
  });

  it('a predictor from files refuses a mode it was not given', async () => {
    const pred = await createPredictor({ models: { exact: exportClassifier(config, params(), 'exact') } });
    await expect(pred.explain([1, 2], [0])).rejects.toThrow(/no "explain" model/);
    await pred.dispose();
  });
});
