import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { buildTrainingGraph, modelParams } from '../models/index';
import type { ModelSpec } from '../models/index';
import { at } from '../graph/checked';
import { initParams, paramOf } from '../models/params';
import type { Params } from '../models/params';
import { serialize } from '../onnx/serialize';
import { classifierBatch, l2rBatch, pretrainBatch } from '../testing/batches';
import { outputOf } from '../runtime/session';
import type { Batch } from '../runtime/types';
import { classifierLossTf, l2rLossTf, pretrainLossTf } from './oracle';

let tf: typeof TF;
beforeAll(async () => {
  tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

const V = 11;
const D = 4;
const L = 6;

/** Loss and gradients from our derived backward graph on ORT. */
async function ortGrads(spec: ModelSpec, params: Params, batch: Batch): Promise<{ loss: number; grads: Record<string, Float32Array> }> {
  const tg = buildTrainingGraph(spec, null);
  const s = await ort.InferenceSession.create(serialize(tg.graph), { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const sp of tg.specs) if (s.inputNames.includes(sp.name)) feeds[sp.name] = new ort.Tensor('float32', paramOf(params, sp.name), [...sp.shape]);
    for (const [k, t] of Object.entries(batch)) if (s.inputNames.includes(k)) feeds[k] = new ort.Tensor(t.data instanceof BigInt64Array ? 'int64' : 'float32', t.data, t.dims);
    const out = await s.run(feeds);
    const grads: Record<string, Float32Array> = {};
    for (const n of tg.trained) grads[n] = outputOf(out, `grad.${n}`).data as Float32Array;
    return { loss: Number(outputOf(out, 'loss').data[0]), grads };
  } finally {
    await s.release();
  }
}

/** Loss and gradients from tfjs autodiff of the oracle model. */
function tfGrads(spec: ModelSpec, params: Params, batch: Batch): { loss: number; grads: Record<string, Float32Array> } {
  const specs = modelParams(spec);
  const names = specs.map((s) => s.name);
  const t = (k: string): TF.Tensor => {
    const b = batch[k];
    if (!b) throw new Error(`the batch has no "${k}"`);
    return b.data instanceof BigInt64Array ? tf.tensor(Int32Array.from(b.data, Number), b.dims, 'int32') : tf.tensor(b.data, b.dims);
  };
  const pt = specs.map((s) => tf.tensor(paramOf(params, s.name), [...s.shape]));
  const f = (...ps: TF.Tensor[]): TF.Scalar => {
    const p = Object.fromEntries(names.map((n, i) => [n, at(ps, i, 'parameter tensors')]));
    if (spec.kind === 'classifier') return classifierLossTf(tf, p, { tokens: t('tokens'), mask: t('mask'), labels: spec.sampled ? t('labels') : null, targets: t('targets') }, spec.config) as TF.Scalar;
    if (spec.kind === 'l2r') return l2rLossTf(tf, p, { tokens: t('tokens'), mask: t('mask'), labels: t('labels'), grades: t('grades'), idcg: t('idcg'), listMask: t('list_mask') }, spec.config) as TF.Scalar;
    if (spec.kind !== 'pretrain') throw new Error(spec.kind);
    return pretrainLossTf(tf, p, { tokens: t('tokens'), mask: t('mask'), positions: t('positions'), targets: t('targets'), negatives: t('negatives'), negBias: t('neg_bias') }, spec.config.encoder) as TF.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(pt);
  const out: Record<string, Float32Array> = {};
  names.forEach((n, i) => { out[n] = at(grads, i, 'tfjs gradients').dataSync() as Float32Array; });
  return { loss: at(value.dataSync(), 0, 'tfjs loss'), grads: out };
}

function expectClose(name: string, a: Float32Array, b: Float32Array, rtol: number, atol: number): void {
  expect(a.length, `${name} length`).toBe(b.length);
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  a.forEach((ai, i) => {
    const bi = at(b, i, name); // same length, asserted above
    const tol = atol + rtol * Math.max(Math.abs(bi), 0.1 * scale);
    if (Math.abs(ai - bi) > tol) throw new Error(`${name}[${i}]: ours ${ai} vs tfjs ${bi} (tol ${tol.toExponential(2)})`);
  });
}

async function compare(spec: ModelSpec, batch: Batch, seed = 3): Promise<void> {
  const params = initParams(modelParams(spec), seed);
  // make every parameter matter at this scale (U at std 0.01 would give near-uniform attention)
  for (const [k, p] of Object.entries(params)) params[k] = p.map((v, i) => v + 0.3 * Math.sin(i * 1.7 + k.length));
  const ours = await ortGrads(spec, params, batch);
  const ref = tfGrads(spec, params, batch);
  expect(Math.abs(ours.loss - ref.loss)).toBeLessThan(1e-5 + 1e-5 * Math.abs(ref.loss));
  for (const [n, d] of Object.entries(ours.grads)) expectClose(`d loss/d ${n}`, d, paramOf(ref.grads, n), 2e-3, 1e-6);
  expect(Object.keys(ours.grads).sort()).toEqual(Object.keys(ref.grads).sort());
}

const enc = (o: Partial<ModelSpec extends never ? never : { impl: 'im2col' | 'conv'; layers: number; activation: 'tanh' | 'relu' }> = {}) =>
  ({ vocab: V, dim: D, kernel: 3, layers: o.layers ?? 1, activation: o.activation ?? 'tanh', residual: true, impl: o.impl ?? 'im2col' }) as const;

describe('whole models: loss and every parameter gradient equal tfjs autodiff', () => {
  it('classifier with label sampling (im2col encoder)', () =>
    compare({ kind: 'classifier', sampled: true, config: { encoder: enc(), labels: L } }, classifierBatch(1, 3, 7, V, L, 4)));
  it('classifier, all labels, 2 residual relu layers, ONNX Conv encoder, shortlist scorer', () =>
    compare({ kind: 'classifier', sampled: false, config: { encoder: enc({ impl: 'conv', layers: 2, activation: 'relu' }), labels: L, shortlist: true } }, classifierBatch(2, 3, 7, V, L, null)));
  it('learning-to-rank, ApproxNDCG', () =>
    compare({ kind: 'l2r', config: { encoder: enc(), labels: L, loss: 'approxNdcg' } }, l2rBatch(3, 3, 6, V, L, 3)));
  it('learning-to-rank, LambdaRank@15', () => {
    // lists of 20 and 19 tokens, so the @15 cutoff drops tokens from the ranking and from IDCG
    const batch = l2rBatch(4, 2, 20, V, L, 3, 15);
    const idcg = (x: Batch): Float32Array => {
      const t = x.idcg;
      if (!t || !(t.data instanceof Float32Array)) throw new Error('an L2R batch has a float idcg');
      return t.data;
    };
    const uncut = idcg(l2rBatch(4, 2, 20, V, L, 3));
    idcg(batch).forEach((v, i) => expect(v, `IDCG@15 of list ${i} is below its full IDCG`).toBeLessThan(at(uncut, i, 'IDCG')));
    return compare({ kind: 'l2r', config: { encoder: enc({ layers: 2 }), labels: L, loss: 'lambdaRank', k: 15 } }, batch);
  });
  it('pretraining: masked tokens with sampled negatives', () =>
    compare({ kind: 'pretrain', config: { encoder: enc({ layers: 2 }) } }, pretrainBatch(5, 3, 8, V, 5, V - 1)));
});
