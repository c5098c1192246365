/** The measured phases of bench/engine.ts; each runs in its own process so its peak RSS is its own. */
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../src/main/engine/graph/builder';
import { at } from '../src/main/engine/graph/checked';
import { createPredictor } from '../src/main/engine/inference/predictor';
import { fitShortlist } from '../src/main/engine/inference/shortlist-fit';
import type { ClassifierConfig } from '../src/main/engine/models/classifier';
import { classifierParams } from '../src/main/engine/models/classifier';
import { initParams } from '../src/main/engine/models/params';
import type { Params } from '../src/main/engine/models/params';
import { serialize } from '../src/main/engine/onnx/serialize';
import { matMul } from '../src/main/engine/ops/index';
import { Rng } from '../src/main/engine/rng';
import { readCheckpoint, writeCheckpoint } from '../src/main/engine/runtime/checkpoint';
import { runTrainingJob } from '../src/main/engine/runtime/job';
import { createTrainer } from '../src/main/engine/runtime/trainer';
import { classifierBatch } from '../src/main/engine/testing/batches';
import { loadEurlex } from './engine-data';

export const SHAPE = { B: 32, T: 256, d: 128, V: 20000, k: 3 };
export const THREADS = 2;
const { B, T, d, V, k } = SHAPE;

export const config = (L: number): ClassifierConfig => ({ encoder: { vocab: V, dim: d, kernel: k, layers: 1, activation: 'tanh' }, labels: L });

/** FLOPs of the matrix products (2 per multiply-add). */
export const flops = {
  trainStep: (L: number): number => 12 * B * T * d * L + 6 * B * T * k * d * d,
  inferDoc: (L: number): number => 4 * T * d * L + 2 * T * k * d * d,
  /** Encoder + exact attention on C labels + the MLP scorer (3d → h → L). */
  shortlistDoc: (L: number, C: number, h: number): number => 4 * T * d * C + 2 * T * k * d * d + 2 * 3 * d * h + 2 * h * L,
};

export interface Timing { best: number; median: number; n: number }
const timing = (ms: number[]): Timing => {
  const s = [...ms].sort((a, b) => a - b);
  return { best: at(s, 0, 'timings'), median: at(s, Math.floor(s.length / 2), 'timings'), n: s.length };
};
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

export async function phaseMatmul(): Promise<Record<string, unknown>> {
  const n = 1024;
  const g = new GraphBuilder();
  g.output(matMul(g, g.input('a', 'float32', [n, n]), g.input('b', 'float32', [n, n])), 'y');
  const s = await ort.InferenceSession.create(serialize(g), { graphOptimizationLevel: 'all', intraOpNumThreads: THREADS, executionMode: 'sequential' });
  const rng = new Rng(1);
  const feeds = { a: new ort.Tensor('float32', Float32Array.from({ length: n * n }, () => rng.normal()), [n, n]), b: new ort.Tensor('float32', Float32Array.from({ length: n * n }, () => rng.normal()), [n, n]) };
  for (let i = 0; i < 5; i++) await s.run(feeds);
  const ms: number[] = [];
  for (let i = 0; i < 60; i++) { const t0 = performance.now(); await s.run(feeds); ms.push(performance.now() - t0); }
  await s.release();
  const t = timing(ms);
  return { gflopsBest: (2 * n ** 3) / t.best / 1e6, gflopsMedian: (2 * n ** 3) / t.median / 1e6, ms: t, peakRssMb: peakRssMb() };
}

export async function phaseTrain(L: number): Promise<Record<string, unknown>> {
  const trainer = await createTrainer({ model: { kind: 'classifier', sampled: false, config: config(L) }, optimizer: { lr: 1e-3 }, threads: THREADS, seed: 1 });
  const batches = [0, 1].map((i) => classifierBatch(i, B, T, V, L, null));
  for (let i = 0; i < 2; i++) await trainer.step(at(batches, i % 2, 'batches'));
  const ms: number[] = [];
  for (let i = 0; i < 8; i++) {
    const batch = at(batches, i % 2, 'batches');
    const t0 = performance.now();
    await trainer.step(batch);
    ms.push(performance.now() - t0);
  }
  await trainer.dispose();
  const t = timing(ms);
  return { L, stepMs: t, gflopsBest: flops.trainStep(L) / t.best / 1e6, gflopsMedian: flops.trainStep(L) / t.median / 1e6, flop: flops.trainStep(L), peakRssMb: peakRssMb() };
}

function randomDocs(n: number, seed: number): Int32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Int32Array.from({ length: T }, () => 2 + rng.int(V - 2)));
}

/** docs/s of predictor.predict(top-10) over `docs`, best and median of `reps` passes. */
async function throughput(pred: Awaited<ReturnType<typeof createPredictor>>, docs: Int32Array[], shortlist: boolean, reps: number): Promise<Timing & { docsPerSecBest: number; docsPerSecMedian: number }> {
  await pred.predict(docs.slice(0, 64), { topK: 10, shortlist });
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) { const t0 = performance.now(); await pred.predict(docs, { topK: 10, shortlist }); ms.push(performance.now() - t0); }
  const t = timing(ms);
  return { ...t, docsPerSecBest: (docs.length * 1000) / t.best, docsPerSecMedian: (docs.length * 1000) / t.median };
}

export async function phaseInferExact(L: number): Promise<Record<string, unknown>> {
  const params = initParams(classifierParams(config(L)), 1);
  const pred = await createPredictor({ config: config(L), params }, { threads: THREADS, batchSize: 16, maxLen: T });
  const tp = await throughput(pred, randomDocs(256, 2), false, 5);
  await pred.dispose();
  return { L, ...tp, gflopsBest: (tp.docsPerSecBest * flops.inferDoc(L)) / 1e9, flopPerDoc: flops.inferDoc(L), peakRssMb: peakRssMb() };
}

const CACHE = path.join(os.tmpdir(), 'planter-bench-engine');
export const EURLEX = { nTrain: 10000, nDev: 1000, labels: 4096, epochs: 3, sampledLabels: 512, lr: 5e-3, seed: 1 };
export const FIT = { nFit: 44000, epochs: 12, lr: 3e-3, hidden: 1024, topK: 10 };
export const CANDIDATES = [32, 64, 96, 128, 160, 192, 256];

/** Precision@5 on labelled docs (sanity check that the model learned something). */
function precisionAt5(pred: { label: number }[][], gold: Int32Array[]): number {
  let s = 0;
  pred.forEach((p, i) => { const g = new Set(gold[i]); s += p.slice(0, 5).filter((x) => g.has(x.label)).length / 5; });
  return s / pred.length;
}

const key = (o: object): string => JSON.stringify(o).replace(/[^a-z0-9]/gi, '');

async function cachedParams(file: string, fresh: boolean, make: () => Promise<Params>): Promise<{ params: Params; cached: boolean }> {
  if (!fresh && existsSync(file)) return { params: Object.fromEntries(Object.entries((await readCheckpoint(file)).tensors).map(([k2, t]) => [k2, t.data])), cached: true };
  const params = await make();
  await writeCheckpoint(file, { meta: {}, tensors: Object.fromEntries(Object.entries(params).map(([k2, v]) => [k2, { shape: [v.length], data: v }])) });
  return { params, cached: false };
}

/**
 * Recall of the exact top-10 among the shortlist on real documents: a classifier trained on a
 * random EURLEX57K train sample, its shortlist scorer fitted on those and further (unlabelled)
 * train-split docs, both measured on random dev docs (never seen by either). Trained parameters are cached in the OS temp folder.
 */
export async function phaseEurlex(fresh: boolean, log: (s: string) => void): Promise<Record<string, unknown>> {
  const L = EURLEX.labels;
  const cfg: ClassifierConfig = { ...config(L), shortlist: true, shortlistHidden: FIT.hidden };
  const t0 = performance.now();
  const data = await loadEurlex({ nTrain: EURLEX.nTrain, nDev: EURLEX.nDev, vocab: V, labels: L, maxLen: T, seed: EURLEX.seed, nExtra: FIT.nFit - EURLEX.nTrain });
  log(`eurlex: ${data.train.docs.length} train / ${data.dev.docs.length} dev docs tokenised in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  mkdirSync(CACHE, { recursive: true });
  let trainSec = 0;
  const model = await cachedParams(path.join(CACHE, `classifier-${key(EURLEX)}.ckpt`), fresh, async () => {
    const t1 = performance.now();
    const r = await runTrainingJob({
      phase: 'bench', model: { kind: 'classifier', sampled: true, config: { ...cfg, shortlist: false } }, optimizer: { lr: EURLEX.lr },
      batch: { batchSize: B, maxLen: T, sampledLabels: EURLEX.sampledLabels }, epochs: EURLEX.epochs, seed: EURLEX.seed, threads: THREADS,
    }, { docs: data.train.docs, labels: data.train.labels }, { onProgress: (p) => { if (p.done % 125 === 0) log(`eurlex: step ${p.done}/${p.total} loss ${p.loss.toFixed(4)} (${p.itemsPerSec.toFixed(0)} docs/s)`); } });
    if (r.outcome !== 'done') throw new Error('training did not finish');
    trainSec = (performance.now() - t1) / 1000;
    return r.params;
  });
  log(`eurlex: classifier ${model.cached ? 'from cache' : `trained in ${trainSec.toFixed(0)} s`}`);
  let fitSec = 0;
  const scorer = await cachedParams(path.join(CACHE, `scorer-${key({ ...EURLEX, ...FIT })}.ckpt`), fresh || !model.cached, async () => {
    const t1 = performance.now();
    const fit = await fitShortlist(cfg, model.params, [...data.train.docs, ...data.extra].slice(0, FIT.nFit), {
      threads: THREADS, maxLen: T, epochs: FIT.epochs, lr: FIT.lr, hidden: FIT.hidden, topK: FIT.topK,
      onEpoch: (e, l) => log(`eurlex: shortlist fit epoch ${e + 1} loss ${l.toFixed(4)}`),
    });
    fitSec = (performance.now() - t1) / 1000;
    return fit;
  });
  const params = { ...model.params, ...scorer.params };
  const docs = data.dev.docs;
  const exactPred = await createPredictor({ config: cfg, params }, { threads: THREADS, batchSize: 16, maxLen: T });
  const exactTop = await exactPred.predict(docs, { topK: 10 });
  const p5 = precisionAt5(exactTop, data.dev.labels);
  const freq = new Float64Array(L);
  for (const ls of data.train.labels) for (const l of ls) freq[l]! += 1; // label ids are below L
  const prior = Array.from(freq.keys()).sort((a, b) => freq[b]! - freq[a]!).slice(0, 5).map((label) => ({ label }));
  const p5Prior = precisionAt5(docs.map(() => prior), data.dev.labels);
  log(`eurlex: dev P@5 ${p5.toFixed(3)} (label-frequency baseline ${p5Prior.toFixed(3)})`);
  const exactTp = await throughput(exactPred, docs.slice(0, 256), false, 3);
  await exactPred.dispose();
  const rows: { C: number; recallAt10: number; docsPerSecBest: number; docsPerSecMedian: number; gflopsBest: number }[] = [];
  for (const C of CANDIDATES) {
    const pred = await createPredictor({ config: cfg, params }, { threads: THREADS, batchSize: 64, maxLen: T, candidates: C });
    const cand = await pred.predict(docs, { topK: C, shortlist: true });
    let hit = 0;
    exactTop.forEach((e, i) => { const s2 = new Set(at(cand, i, 'shortlist predictions (one list per document)').map((x) => x.label)); hit += e.filter((x) => s2.has(x.label)).length; });
    const tp = await throughput(pred, docs, true, 3);
    await pred.dispose();
    const row = { C, recallAt10: hit / (10 * docs.length), docsPerSecBest: tp.docsPerSecBest, docsPerSecMedian: tp.docsPerSecMedian, gflopsBest: (tp.docsPerSecBest * flops.shortlistDoc(L, C, FIT.hidden)) / 1e9 };
    rows.push(row);
    log(`eurlex: shortlist C=${C}: recall of the exact top-10 ${row.recallAt10.toFixed(4)}, ${row.docsPerSecBest.toFixed(0)} docs/s best (median ${row.docsPerSecMedian.toFixed(0)})`);
  }
  const chosen = rows.find((r) => r.recallAt10 >= 0.99) ?? rows[rows.length - 1];
  return {
    L, trainSec, fitSec, devPrecisionAt5: p5, devPrecisionAt5Prior: p5Prior, rows, chosen,
    exact: { ...exactTp, gflopsBest: (exactTp.docsPerSecBest * flops.inferDoc(L)) / 1e9 },
    peakRssMb: peakRssMb(),
  };
}
