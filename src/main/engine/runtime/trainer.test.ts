import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at } from '../graph/checked';
import { buildTrainingGraph } from '../models/index';
import type { ModelSpec } from '../models/index';
import { paramOf } from '../models/params';
import type { Params } from '../models/params';
import { serialize } from '../onnx/serialize';
import type { AdamConfig } from '../optim/adam';
import { classifierBatch } from '../testing/batches';
import { adamUpdate } from '../tfjs/trainer';
import { TfjsUnavailableError } from '../tfjs/backend';
import { outputOf } from './session';
import { createTrainer } from './trainer';
import type { Trainer } from './trainer';
import type { Batch } from './types';

const spec: ModelSpec = {
  kind: 'classifier',
  sampled: true,
  config: { encoder: { vocab: 13, dim: 4, kernel: 3, layers: 1, activation: 'tanh' }, labels: 6 },
};
const batch = (i: number): Batch => classifierBatch(100 + i, 3, 6, 13, 6, 4);

let dir: string;
beforeAll(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'planter-trainer-')); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

async function withTrainer<R>(o: Partial<Parameters<typeof createTrainer>[0]>, f: (t: Trainer) => Promise<R>): Promise<R> {
  const t = await createTrainer({ model: spec, optimizer: { lr: 0.01 }, seed: 7, threads: 2, ...o });
  try {
    return await f(t);
  } finally {
    await t.dispose();
  }
}

/** Gradients at `params` from the gradient-only graph (already checked against tfjs). */
async function gradsAt(params: Params, b: Batch): Promise<Record<string, Float32Array>> {
  const tg = buildTrainingGraph(spec, null);
  const s = await ort.InferenceSession.create(serialize(tg.graph));
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const sp of tg.specs) feeds[sp.name] = new ort.Tensor('float32', paramOf(params, sp.name), [...sp.shape]);
    for (const [k, t] of Object.entries(b)) feeds[k] = t.data instanceof BigInt64Array ? new ort.Tensor('int64', t.data, t.dims) : new ort.Tensor('float32', t.data, t.dims);
    const out = await s.run(feeds);
    return Object.fromEntries(tg.trained.map((n) => [n, outputOf(out, `grad.${n}`).data as Float32Array]));
  } finally {
    await s.release();
  }
}

function expectAllClose(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!)); // same lengths, checked above
  expect(worst, what).toBeLessThanOrEqual(tol);
}

/** Runs two steps in the graph and the same two steps with the JS reference update. */
async function checkAgainstReference(cfg: AdamConfig, groupOf: (n: string) => { lr: number; weightDecay: number; frozen?: boolean }): Promise<void> {
  await withTrainer({ optimizer: cfg }, async (t) => {
    const ref = t.getParams();
    const state = new Map(Object.entries(ref).map(([k, v]) => [k, { m: new Float32Array(v.length), v: new Float32Array(v.length), t: 0 }]));
    for (let i = 0; i < 2; i++) {
      const grads = await gradsAt(ref, batch(i));
      const norm = Math.sqrt(Object.entries(grads).filter(([n]) => !groupOf(n).frozen).reduce((a, [, g]) => a + g.reduce((x, v) => x + v * v, 0), 0));
      const clip = cfg.clipNorm ? cfg.clipNorm / Math.max(norm, cfg.clipNorm) : 1;
      for (const [n, g] of Object.entries(grads)) if (!groupOf(n).frozen) adamUpdate(paramOf(ref, n), g, state.get(n)!, groupOf(n), cfg, clip);
      const r = await t.step(batch(i));
      expect(r.gradNorm).toBeCloseTo(norm, 4);
    }
    const got = t.getParams();
    for (const [n, r] of Object.entries(ref)) expectAllClose(paramOf(got, n), r, 2e-6, n);
  });
}

describe('Adam/AdamW update in the graph', () => {
  it('first step, hand-computed: p1 = p0 − lr·g/(|g| + eps) elementwise', async () => {
    await withTrainer({ optimizer: { lr: 0.01 } }, async (t) => {
      const p0 = t.getParams();
      const g = await gradsAt(p0, batch(0));
      await t.step(batch(0));
      const p1 = t.getParams();
      const [b, gb, b1] = [paramOf(p0, 'cls.b'), paramOf(g, 'cls.b'), paramOf(p1, 'cls.b')];
      b.forEach((bi, i) => {
        const gi = at(gb, i, 'gradient of cls.b');
        expect(b1[i]).toBeCloseTo(bi - (0.01 * gi) / (Math.abs(gi) + 1e-8), 6);
      });
    });
  });

  it('AdamW with weight decay matches the JS reference over two steps', () =>
    checkAgainstReference({ lr: 0.01, groups: [{ params: ['cls.W', 'cls.U'], lr: 0.02, weightDecay: 0.1 }] }, (n) => (['cls.W', 'cls.U'].includes(n) ? { lr: 0.02, weightDecay: 0.1 } : { lr: 0.01, weightDecay: 0 })));

  it('Adam with L2 decay and per-group learning rates', () =>
    checkAgainstReference({ lr: 0.003, decoupled: false, groups: [{ params: ['enc.E'], lr: 0.05, weightDecay: 0.01 }] }, (n) => (n === 'enc.E' ? { lr: 0.05, weightDecay: 0.01 } : { lr: 0.003, weightDecay: 0 })));

  it('gradient-norm clipping scales every gradient by clip/‖g‖', () =>
    checkAgainstReference({ lr: 0.01, clipNorm: 1e-3 }, () => ({ lr: 0.01, weightDecay: 0 })));

  it('frozen parameters stay exactly as they were; unfreezing later starts their Adam at t = 1', async () => {
    const frozenCfg: AdamConfig = { lr: 0.01, groups: [{ params: ['enc.E', 'enc.conv0.W', 'enc.conv0.b'], lr: 0.001, frozen: true }] };
    await withTrainer({ optimizer: frozenCfg }, async (t) => {
      const p0 = t.getParams();
      await t.step(batch(0));
      await t.step(batch(1));
      const p1 = t.getParams();
      for (const n of ['enc.E', 'enc.conv0.W', 'enc.conv0.b']) expect(p1[n]).toEqual(p0[n]);
      expect(p1['cls.U']).not.toEqual(p0['cls.U']);
      await t.setOptimizer({ lr: 0.01, groups: [{ params: ['enc.E', 'enc.conv0.W', 'enc.conv0.b'], lr: 0.001 }] });
      const g = await gradsAt(p1, batch(2));
      await t.step(batch(2));
      const p2 = t.getParams();
      const [b1, gb, b2] = [paramOf(p1, 'enc.conv0.b'), paramOf(g, 'enc.conv0.b'), paramOf(p2, 'enc.conv0.b')];
      b2.forEach((v, i) => {
        const gi = at(gb, i, 'gradient of enc.conv0.b');
        expect(v).toBeCloseTo(at(b1, i, 'enc.conv0.b before') - (0.001 * gi) / (Math.abs(gi) + 1e-8), 6);
      });
    });
  });
});

describe('trainer runtime', () => {
  it('is deterministic: same seed and thread count give identical losses', async () => {
    const run = (): Promise<number[]> => withTrainer({}, async (t) => { const l: number[] = []; for (let i = 0; i < 3; i++) l.push((await t.step(batch(i))).loss); return l; });
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a[2]).not.toBe(a[0]);
  });

  it('resuming from a checkpoint gives the same losses as an uninterrupted run', async () => {
    const full = await withTrainer({}, async (t) => { const l: number[] = []; for (let i = 0; i < 4; i++) l.push((await t.step(batch(i))).loss); return l; });
    const file = path.join(dir, 'resume.ckpt');
    await withTrainer({}, async (t) => { for (let i = 0; i < 2; i++) await t.step(batch(i)); await t.saveCheckpoint(file, { cursor: 2 }); });
    const resumed = await withTrainer({ seed: 999 }, async (t) => {
      expect(await t.loadCheckpoint(file)).toEqual({ cursor: 2 });
      expect(t.steps).toBe(2);
      const l: number[] = [];
      for (let i = 2; i < 4; i++) l.push((await t.step(batch(i))).loss);
      return l;
    });
    expect(resumed).toEqual(full.slice(2));
  });

  it('evaluate returns the loss without changing parameters, plus the logits', async () => {
    await withTrainer({}, async (t) => {
      const before = t.getParams();
      const e = await t.evaluate(batch(0));
      expect(e.outputs.logits?.dims).toEqual([3, 4]);
      const s = await t.step(batch(0));
      expect(s.loss).toBeCloseTo(e.loss, 6);
      expect(before['cls.U']).not.toEqual(t.getParams()['cls.U']);
    });
  });

  it('rejects a checkpoint of another model, and unknown or mis-sized parameters', async () => {
    const file = path.join(dir, 'other.ckpt');
    const other: ModelSpec = { ...spec, config: { ...spec.config, labels: 7 } } as ModelSpec;
    const t2 = await createTrainer({ model: other, optimizer: { lr: 0.01 } });
    await t2.saveCheckpoint(file);
    await t2.dispose();
    await withTrainer({}, async (t) => {
      await expect(t.loadCheckpoint(file)).rejects.toThrow(/different model/);
      expect(() => t.setParams({ 'cls.X': new Float32Array(1) })).toThrow(/unknown parameter "cls.X"/);
      expect(() => t.setParams({ 'cls.b': new Float32Array(2) })).toThrow(/2 values, expected 6/);
    });
  });
});

describe('tfjs backend', () => {
  it('explains why it is unavailable when tfjs-node is not installed', async () => {
    const err = await createTrainer({ model: spec, optimizer: { lr: 0.01 }, backend: 'tfjs' }).then(() => null, (e: unknown) => e);
    if (err === null) return; // tfjs-node is installed on this machine
    expect(err).toBeInstanceOf(TfjsUnavailableError);
    expect((err as Error).message).toMatch(/unavailable: neither @tensorflow\/tfjs-node-gpu nor @tensorflow\/tfjs-node/);
  });

  it('trains the same model to the same losses as the ONNX trainer (pure tfjs CPU at toy size)', async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const { createTfjsTrainer } = await import('../tfjs/trainer');
    const cfg: AdamConfig = { lr: 0.05, clipNorm: 5, groups: [{ params: ['cls.W'], lr: 0.02, weightDecay: 0.1 }] };
    const a = await createTfjsTrainer({ model: spec, optimizer: cfg, seed: 3 }, tf);
    const b = await createTrainer({ model: spec, optimizer: cfg, seed: 3 });
    for (let i = 0; i < 3; i++) {
      const [la, lb] = [(await a.step(batch(i))).loss, (await b.step(batch(i))).loss];
      expect(Math.abs(la - lb)).toBeLessThan(1e-5);
    }
    await a.dispose();
    await b.dispose();
  });
});
