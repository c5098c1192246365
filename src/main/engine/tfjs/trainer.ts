import type * as TF from '@tensorflow/tfjs';
import { at } from '../graph/checked';
import { modelParams } from '../models/index';
import type { ModelSpec } from '../models/index';
import { paramOf } from '../models/params';
import type { ParamSpec, Params } from '../models/params';
import { adamScalars, resolveGroups } from '../optim/adam';
import type { AdamConfig } from '../optim/adam';
import type { EvalResult, StepResult, Trainer, TrainerOptions } from '../runtime/trainer';
import { startParams } from '../runtime/trainer';
import { freshAdam, loadTrainerCheckpoint, saveTrainerCheckpoint } from '../runtime/trainer-state';
import type { AdamState } from '../runtime/trainer-state';
import type { Batch } from '../runtime/types';
import { loadTfjsBackend, TfjsUnavailableError } from './backend';
import type { TfjsModule } from './backend';
import { classifierLossTf, l2rLossTf, pretrainLossTf, shortlistLossTf } from './oracle';

type T = TF.Tensor;

/** The model's loss in tfjs for a batch (the oracle forward models). */
function lossFn(tf: TfjsModule, model: ModelSpec, batch: Batch): (p: Record<string, T>) => T {
  const t = (k: string): T => {
    const b = batch[k];
    if (!b) throw new Error(`missing input "${k}"`);
    return b.data instanceof BigInt64Array ? tf.tensor(Int32Array.from(b.data, Number), b.dims, 'int32') : tf.tensor(b.data, b.dims);
  };
  switch (model.kind) {
    case 'classifier': return (p) => classifierLossTf(tf, p, { tokens: t('tokens'), mask: t('mask'), labels: model.sampled ? t('labels') : null, targets: t('targets') }, model.config);
    case 'l2r': return (p) => l2rLossTf(tf, p, { tokens: t('tokens'), mask: t('mask'), labels: t('labels'), grades: t('grades'), idcg: t('idcg'), listMask: t('list_mask') }, model.config);
    case 'pretrain': return (p) => pretrainLossTf(tf, p, { tokens: t('tokens'), mask: t('mask'), positions: t('positions'), targets: t('targets'), negatives: t('negatives'), negBias: t('neg_bias') }, model.config.encoder);
    case 'shortlist': return (p) => shortlistLossTf(tf, p, t('pooled'), t('teacher'), model.config.topK);
  }
}

/**
 * The training backend on TensorFlow.js (tfjs-node where installed): the same models, Adam
 * semantics and checkpoint format as the ONNX trainer. `tf` may be injected (tests use the pure
 * tfjs CPU backend at toy sizes); otherwise tfjs-node is loaded or a TfjsUnavailableError explains why not.
 * Evaluation returns the loss only (no logits/scores outputs).
 */
export async function createTfjsTrainer(o: TrainerOptions, tfInjected?: TfjsModule): Promise<Trainer> {
  let tf = tfInjected;
  if (!tf) {
    const r = await loadTfjsBackend();
    if (!r.ok) throw new TfjsUnavailableError(`backend "tfjs" ${r.reason}`);
    tf = r.tf;
  }
  if (o.device === 'cuda') throw new TfjsUnavailableError('backend "tfjs" runs where tfjs-node-gpu puts it; device "cuda" applies to the ONNX backend only');
  return new TfjsTrainer(tf, o, modelParams(o.model));
}

class TfjsTrainer implements Trainer {
  readonly model: ModelSpec;
  steps = 0;
  #tf: TfjsModule;
  #specs: ParamSpec[];
  #params: Params;
  #adam: Map<string, AdamState>;
  #cfg: AdamConfig;

  constructor(tf: TfjsModule, o: TrainerOptions, specs: ParamSpec[]) {
    this.#tf = tf;
    this.model = o.model;
    this.#specs = specs;
    this.#cfg = o.optimizer;
    this.#params = startParams(specs, o.params, o.seed ?? 0);
    this.#adam = freshAdam(this.#params);
  }

  async step(batch: Batch): Promise<StepResult> {
    const tf = this.#tf;
    const names = this.#specs.map((s) => s.name);
    const { groupFor } = resolveGroups(names, this.#cfg);
    const trained = names.filter((n) => !groupFor(n).frozen);
    const f = lossFn(tf, this.model, batch);
    let loss = 0;
    let gradNorm = 0;
    tf.tidy(() => {
      const all = Object.fromEntries(this.#specs.map((s) => [s.name, tf.tensor(paramOf(this.#params, s.name), [...s.shape])]));
      const { value, grads } = tf.valueAndGrads((...ps: T[]) => f({ ...all, ...Object.fromEntries(trained.map((n, i) => [n, at(ps, i, 'trained parameters')])) }) as TF.Scalar)(trained.map((n) => paramOf(all, n)));
      loss = at(value.dataSync(), 0, 'loss');
      const gs = grads.map((g) => Float64Array.from(g.dataSync()));
      gradNorm = Math.sqrt(gs.reduce((a, g) => a + g.reduce((x, v) => x + v * v, 0), 0));
      const clip = this.#cfg.clipNorm && this.#cfg.clipNorm > 0 ? this.#cfg.clipNorm / Math.max(gradNorm, this.#cfg.clipNorm) : 1;
      trained.forEach((n, i) => adamUpdate(paramOf(this.#params, n), at(gs, i, 'gradients'), this.#adam.get(n)!, groupFor(n), this.#cfg, clip));
    });
    this.steps += 1;
    return { loss, gradNorm, metrics: {} };
  }

  async evaluate(batch: Batch): Promise<EvalResult> {
    const tf = this.#tf;
    const f = lossFn(tf, this.model, batch);
    const loss = tf.tidy(() => at(f(Object.fromEntries(this.#specs.map((s) => [s.name, tf.tensor(paramOf(this.#params, s.name), [...s.shape])]))).dataSync(), 0, 'loss'));
    return { loss, metrics: {}, outputs: {} };
  }

  getParams(): Params {
    return Object.fromEntries(Object.entries(this.#params).map(([k, v]) => [k, Float32Array.from(v)]));
  }

  setParams(p: Partial<Params>): void {
    for (const [n, v] of Object.entries(p)) {
      const cur = this.#params[n];
      if (!cur) throw new Error(`unknown parameter "${n}"`);
      if (!v || v.length !== cur.length) throw new Error(`parameter "${n}": ${v?.length ?? 0} values, expected ${cur.length}`);
      this.#params[n] = Float32Array.from(v);
      this.#adam.set(n, { m: new Float32Array(v.length), v: new Float32Array(v.length), t: 0 });
    }
  }

  async setOptimizer(cfg: AdamConfig): Promise<void> {
    this.#cfg = cfg;
  }

  async saveCheckpoint(file: string, meta: Record<string, unknown> = {}): Promise<void> {
    await saveTrainerCheckpoint(file, this.model, this.#specs, { steps: this.steps, params: this.#params, adam: this.#adam }, meta);
  }

  async loadCheckpoint(file: string): Promise<Record<string, unknown>> {
    const st = await loadTrainerCheckpoint(file, this.model, this.#specs);
    this.#params = st.params;
    this.#adam = st.adam;
    this.steps = st.steps;
    return st.meta;
  }

  async dispose(): Promise<void> {}
}

/** One Adam/AdamW update in place, the same arithmetic as optim/adam.ts (float32 storage). */
export function adamUpdate(p: Float32Array, grad: ArrayLike<number>, st: AdamState, group: { lr: number; weightDecay: number }, cfg: AdamConfig, clip = 1): void {
  const b1 = cfg.beta1 ?? 0.9;
  const b2 = cfg.beta2 ?? 0.999;
  const eps = cfg.eps ?? 1e-8;
  const decoupled = cfg.decoupled ?? true;
  if (grad.length !== p.length || st.m.length !== p.length || st.v.length !== p.length) {
    throw new Error(`adamUpdate: ${p.length} parameters, ${grad.length} gradients, ${st.m.length}/${st.v.length} moments`);
  }
  st.t += 1;
  const { stepSize, vScale, decay } = adamScalars({ ...group, frozen: false }, st.t, cfg);
  // every array has p.length elements (checked above)
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    let g = grad[i]! * clip;
    if (!decoupled && group.weightDecay > 0) g += group.weightDecay * pi;
    st.m[i] = b1 * st.m[i]! + (1 - b1) * g;
    st.v[i] = b2 * st.v[i]! + (1 - b2) * g * g;
    const base = decoupled && group.weightDecay > 0 ? pi * decay : pi;
    // the moments are read back after the float32 store, as the graph's Adam sees them
    p[i] = base - (st.m[i]! / (Math.sqrt(st.v[i]!) * vScale + eps)) * stepSize;
  }
}
