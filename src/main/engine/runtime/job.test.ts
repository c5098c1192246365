import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { makeBatch } from './batching';
import type { TrainingData } from './batching';
import { runTrainingJob } from './job';
import type { JobProgress, TrainingJob } from './job';

const V = 30;
const L = 8;
function corpus(n: number): TrainingData {
  const rng = new Rng(5);
  const docs = Array.from({ length: n }, () => Int32Array.from({ length: 3 + rng.int(8) }, () => 1 + rng.int(V - 2)));
  const labels = docs.map((d) => Int32Array.from(new Set([d[0] % L, d[1] % L])));
  const grades = Uint8Array.from({ length: V * L }, () => 1 + rng.int(101));
  return { docs, labels, grades };
}
const data = corpus(24);
const enc = { vocab: V, dim: 8, kernel: 3 } as const;
const job = (over: Partial<TrainingJob> = {}): TrainingJob => ({
  phase: 'finetune',
  model: { kind: 'classifier', sampled: true, config: { encoder: enc, labels: L } },
  optimizer: { lr: 0.01 },
  batch: { batchSize: 4, maxLen: 8, sampledLabels: 5 },
  epochs: 2,
  seed: 11,
  threads: 1,
  ...over,
});

let dir: string;
beforeAll(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'planter-job-')); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('batches', () => {
  it('are a pure function of (seed, step): every model kind', () => {
    const models: TrainingJob['model'][] = [
      job().model,
      { kind: 'l2r', config: { encoder: enc, labels: L, loss: 'approxNdcg' } },
      { kind: 'pretrain', config: { encoder: enc } },
    ];
    for (const m of models) expect(makeBatch(m, data, job().batch, 3, 7)).toEqual(makeBatch(m, data, job().batch, 3, 7));
  });
  it('classifier batches keep every positive and mark it in the targets', () => {
    const b = makeBatch(job().model, data, job().batch, 3, 0);
    const labels = Array.from(b.labels.data as BigInt64Array, Number);
    const [B, Ls] = b.targets.dims;
    expect(Ls).toBe(labels.length);
    const t = b.targets.data as Float32Array;
    let pos = 0;
    for (let i = 0; i < B * Ls; i++) pos += t[i];
    expect(pos).toBeGreaterThan(0);
  });
});

describe('training jobs (in process)', () => {
  it('reports progress snapshots and finishes with parameters', async () => {
    const seen: JobProgress[] = [];
    const r = await runTrainingJob(job(), data, { onProgress: (p) => seen.push(p) });
    expect(r.outcome).toBe('done');
    expect(seen.length).toBe(12);
    expect(seen.at(-1)).toMatchObject({ phase: 'finetune', done: 12, total: 12, unit: 'step', epoch: 1 });
    expect(seen.at(-1)!.etaMs).toBe(0);
    expect(seen[0].itemsPerSec).toBeGreaterThan(0);
    if (r.outcome === 'done') expect(Object.keys(r.params)).toContain('cls.U');
  });

  it('cancel stops between steps with a checkpoint; resuming ends exactly where an uninterrupted run does', async () => {
    const full = await runTrainingJob(job(), data);
    const file = path.join(dir, 'job.ckpt');
    const signal = { aborted: false };
    const first = await runTrainingJob(job({ checkpoint: { path: file } }), data, { signal, onProgress: (p) => { if (p.done === 5) signal.aborted = true; } });
    expect(first).toEqual({ outcome: 'cancelled', steps: 5, resumeFrom: file });
    const rest = await runTrainingJob(job({ checkpoint: { path: file } }), data);
    expect(rest.outcome).toBe('done');
    if (rest.outcome === 'done' && full.outcome === 'done') {
      expect(rest.loss).toBe(full.loss);
      expect(rest.params['cls.W']).toEqual(full.params['cls.W']);
    }
  });

  it('maxSteps stops inside an epoch, at the same parameters as the first steps of a full run', async () => {
    const seen: JobProgress[] = [];
    const cut = await runTrainingJob(job({ maxSteps: 4 }), data, { onProgress: (p) => seen.push(p) });
    expect(cut).toMatchObject({ outcome: 'done', steps: 4 });
    expect(seen.at(-1)).toMatchObject({ done: 4, total: 4, epoch: 0 });
    const signal = { aborted: false };
    const file = path.join(dir, 'max-steps.ckpt');
    // The same job cancelled after 4 of its 12 steps holds the same parameters in its checkpoint.
    await runTrainingJob(job({ checkpoint: { path: file } }), data, { signal, onProgress: (p) => { if (p.done === 4) signal.aborted = true; } });
    const resumedToFour = await runTrainingJob(job({ checkpoint: { path: file }, maxSteps: 4 }), data);
    if (cut.outcome === 'done' && resumedToFour.outcome === 'done') expect(resumedToFour.params['cls.W']).toEqual(cut.params['cls.W']);
    else throw new Error('both runs should finish');
  });

  it('a signal aborted before the first step cancels at once', async () => {
    expect(await runTrainingJob(job(), data, { signal: { aborted: true } })).toEqual({ outcome: 'cancelled', steps: 0, resumeFrom: undefined });
  });

  it('L2R and pretraining jobs run', async () => {
    const l2r = await runTrainingJob(job({ model: { kind: 'l2r', config: { encoder: enc, labels: L, loss: 'lambdaRank' } }, epochs: 1 }), data);
    const pre = await runTrainingJob(job({ model: { kind: 'pretrain', config: { encoder: enc } }, epochs: 1 }), data);
    expect([l2r.outcome, pre.outcome]).toEqual(['done', 'done']);
  });
});
