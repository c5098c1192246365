import { describe, expect, it } from 'vitest';
import { buildTrainingGraph, type ModelSpec } from './index';
import { initParams } from './params';
import { serialize } from '../onnx/serialize';
import { dropoutKeep, makeBatch } from '../runtime/batching';
import { createSession, feedsFor, toOrt } from '../runtime/session';
import { classifierParams, type ClassifierConfig } from './classifier';

const config: ClassifierConfig = { encoder: { vocab: 20, dim: 8, kernel: 3 }, labels: 3 };
const batch = {
  tokens: { data: BigInt64Array.from([4, 5, 6, 7, 8, 9].map(BigInt)), dims: [2, 3] },
  mask: { data: new Float32Array(6).fill(1), dims: [2, 3] },
  targets: { data: Float32Array.from([1, 0, 0, 0, 1, 0]), dims: [2, 3] },
};

async function run(spec: ModelSpec, keep?: number): Promise<Record<string, Float32Array>> {
  const tg = buildTrainingGraph(spec, null);
  const session = await createSession(serialize(tg.graph), { threads: 1 });
  try {
    const p = initParams(classifierParams(config), 3);
    const params = Object.fromEntries(classifierParams(config).map((s) => [s.name, toOrt({ data: p[s.name]!, dims: [...s.shape] })]));
    const feeds = keep === undefined ? batch : { ...batch, keep: { data: new Float32Array(2 * 3 * 8).fill(keep), dims: [2, 3, 8] } };
    const out = await session.run(feedsFor(session, feeds, params));
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
  } finally {
    await session.release();
  }
}

describe('classifier dropout', () => {
  it('draws 0 or 1/(1−p), about p of them 0, the same for the same seed', () => {
    const keep = dropoutKeep(7, 10_000, 0.25, [10_000]);
    const values = new Set(Array.from(keep.data as Float32Array));
    expect([...values].sort()).toEqual([0, Math.fround(1 / 0.75)]);
    const zeros = Array.from(keep.data as Float32Array).filter((v) => v === 0).length;
    expect(zeros / 10_000).toBeGreaterThan(0.23);
    expect(zeros / 10_000).toBeLessThan(0.27);
    expect(dropoutKeep(7, 100, 0.25, [100])).toEqual(dropoutKeep(7, 100, 0.25, [100]));
    expect(dropoutKeep(8, 100, 0.25, [100])).not.toEqual(dropoutKeep(7, 100, 0.25, [100]));
  });

  it('multiplies the encoder output: keep 1 is the plain graph, keep 0 cuts the encoder off', async () => {
    const plain = await run({ kind: 'classifier', config, sampled: false });
    const ones = await run({ kind: 'classifier', config, sampled: false, dropout: 0.5 }, 1);
    expect(ones.loss).toEqual(plain.loss);
    expect(ones['grad.enc.E']).toEqual(plain['grad.enc.E']);
    expect(ones['grad.cls.W']).toEqual(plain['grad.cls.W']);
    const zeros = await run({ kind: 'classifier', config, sampled: false, dropout: 0.5 }, 0);
    const encoderGrads = Object.entries(zeros).filter(([k]) => k.startsWith('grad.enc.'));
    expect(encoderGrads.length).toBeGreaterThan(0);
    for (const [, g] of encoderGrads) expect(Array.from(g).every((v) => v === 0)).toBe(true);
    expect(Array.from(plain['grad.enc.E']!).some((v) => v !== 0)).toBe(true);
  });

  it('adds keep [B, T, d] to a batch and leaves the rest of it unchanged', () => {
    const data = { docs: [Int32Array.of(1, 2, 3), Int32Array.of(4, 5)], labels: [Int32Array.of(0), Int32Array.of(2)] };
    const o = { batchSize: 2, maxLen: 8 };
    const without = makeBatch({ kind: 'classifier', config, sampled: false }, data, o, 5, 0);
    const withDropout = makeBatch({ kind: 'classifier', config, sampled: false, dropout: 0.3 }, data, o, 5, 0);
    const { keep, ...rest } = withDropout;
    expect(rest).toEqual(without);
    expect(keep?.dims).toEqual([2, 3, 8]);
  });
});
