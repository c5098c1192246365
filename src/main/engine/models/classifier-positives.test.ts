import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from './index';
import { initParams } from './params';
import { serialize } from '../onnx/serialize';
import { createSession, feedsFor, toOrt } from '../runtime/session';
import { classifierParams, type ClassifierConfig } from './classifier';

const config = (attentionFromPositives: boolean): ClassifierConfig => ({ encoder: { vocab: 20, dim: 8, kernel: 3 }, labels: 3, attentionFromPositives });

async function grads(c: ClassifierConfig, targets: number[]): Promise<Record<string, Float32Array>> {
  const tg = buildTrainingGraph({ kind: 'classifier', config: c, sampled: false }, null);
  const session = await createSession(serialize(tg.graph), { threads: 1 });
  try {
    const p = initParams(classifierParams(c), 3);
    const batch = {
      tokens: { data: BigInt64Array.from([4, 5, 6, 7, 8, 9].map(BigInt)), dims: [2, 3] },
      mask: { data: new Float32Array(6).fill(1), dims: [2, 3] },
      targets: { data: Float32Array.from(targets), dims: [2, 3] },
    };
    const params = Object.fromEntries(classifierParams(c).map((s) => [s.name, toOrt({ data: p[s.name]!, dims: [...s.shape] })]));
    const out = await session.run(feedsFor(session, batch, params));
    return Object.fromEntries(Object.entries(out).filter(([k]) => k.startsWith('grad.')).map(([k, t]) => [k, t.data as Float32Array]));
  } finally {
    await session.release();
  }
}

describe('attentionFromPositives', () => {
  it('gives U no gradient from negative (label, document) pairs, and the usual one from positives', async () => {
    const allNegative = await grads(config(true), [0, 0, 0, 0, 0, 0]);
    expect(Array.from(allNegative['grad.cls.U']!).every((v) => v === 0)).toBe(true);
    expect(Array.from(allNegative['grad.cls.W']!).some((v) => v !== 0)).toBe(true);
    const plain = await grads(config(false), [0, 0, 0, 0, 0, 0]);
    expect(Array.from(plain['grad.cls.U']!).some((v) => v !== 0)).toBe(true);
    // label 1 positive in document 0 only: U's gradient lives in row 1 alone
    const one = await grads(config(true), [0, 1, 0, 0, 0, 0]);
    const u = one['grad.cls.U']!;
    expect(Array.from(u.subarray(0, 8)).every((v) => v === 0)).toBe(true);
    expect(Array.from(u.subarray(8, 16)).some((v) => v !== 0)).toBe(true);
    expect(Array.from(u.subarray(16, 24)).every((v) => v === 0)).toBe(true);
  });
});
