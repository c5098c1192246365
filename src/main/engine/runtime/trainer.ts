import { Tensor } from 'onnxruntime-node';
import type * as ort from 'onnxruntime-node';
import type { DeviceName } from '../device';
import { buildEvalGraph, buildTrainingGraph } from '../models/index';
import type { ModelSpec } from '../models/index';
import { checkParams, initParams, paramOf } from '../models/params';
import type { ParamSpec, Params } from '../models/params';
import { serialize } from '../onnx/serialize';
import { adamNames, adamScalars, resolveGroups } from '../optim/adam';
import type { AdamConfig } from '../optim/adam';
import { freshAdam, loadTrainerCheckpoint, saveTrainerCheckpoint } from './trainer-state';
import type { AdamState } from './trainer-state';
import { createSession, feedsFor, outputOf, scalarTensor } from './session';
import type { Batch, TensorData } from './types';

export interface TrainerOptions {
  model: ModelSpec;
  /** Initial parameters (e.g. planted from Stage B); missing ones are initialised from `seed`. */
  params?: Partial<Params>;
  optimizer: AdamConfig;
  /** Seed of the parameter initialisation (default 0). */
  seed?: number;
  /** Intra-op threads; results are reproducible for a fixed seed and thread count. */
  threads?: number;
  device?: DeviceName;
  /** 'onnx' (default) or 'tfjs' (needs @tensorflow/tfjs-node; see tfjs/backend.ts). */
  backend?: 'onnx' | 'tfjs';
}

export interface StepResult { loss: number; gradNorm: number; metrics: Record<string, number> }
export interface EvalResult { loss: number; metrics: Record<string, number>; outputs: Record<string, TensorData> }

/** A model being trained. Parameters live in the trainer between steps; read them with getParams. */
export interface Trainer {
  readonly model: ModelSpec;
  /** Training steps taken so far (restored by loadCheckpoint). */
  readonly steps: number;
  /** One forward + backward + Adam update on `batch`; returns the loss before the update. */
  step(batch: Batch): Promise<StepResult>;
  /** Forward only: loss, metrics and outputs (classifier `logits`, L2R `scores`); no update. */
  evaluate(batch: Batch): Promise<EvalResult>;
  /** Copies of the current parameters. */
  getParams(): Params;
  /** Overwrites some parameters (e.g. planting U); their Adam moments are reset. */
  setParams(p: Partial<Params>): void;
  /** New learning rates / freezing / clipping; rebuilds the graph only when the frozen set changes. */
  setOptimizer(cfg: AdamConfig): Promise<void>;
  /** Parameters, Adam state and `meta` (any JSON) in one atomic file. */
  saveCheckpoint(file: string, meta?: Record<string, unknown>): Promise<void>;
  /** Restores a checkpoint of the same model; returns the `meta` saved with it. */
  loadCheckpoint(file: string): Promise<Record<string, unknown>>;
  dispose(): Promise<void>;
}

/** Creates a trainer on ONNX Runtime (default) or the optional tfjs backend. */
export async function createTrainer(o: TrainerOptions): Promise<Trainer> {
  if (o.backend === 'tfjs') {
    if (o.model.kind === 'classifier' && (o.model.dropout ?? 0) > 0) throw new Error('dropout is built into the ONNX training graph only: use the onnx backend');
    const { createTfjsTrainer } = await import('../tfjs/trainer');
    return createTfjsTrainer(o);
  }
  return OnnxTrainer.create(o);
}

/** Initial parameters: given ones where present (checked), the rest from the seed. */
export function startParams(specs: readonly ParamSpec[], given: Partial<Params> | undefined, seed: number): Params {
  const p = initParams(specs, seed);
  for (const [k, v] of Object.entries(given ?? {})) {
    if (!(k in p)) throw new Error(`unknown parameter "${k}" for this model (expected: ${Object.keys(p).join(', ')})`);
    if (v) p[k] = Float32Array.from(v);
  }
  checkParams(specs, p);
  return p;
}

class OnnxTrainer implements Trainer {
  readonly model: ModelSpec;
  steps = 0;
  #o: TrainerOptions;
  #specs: ParamSpec[];
  #params = new Map<string, ort.Tensor>();
  #adam = new Map<string, AdamState>();
  #cfg: AdamConfig;
  #session: ort.InferenceSession | null = null;
  #trained: string[] = [];
  #metricNames: string[] = [];
  #evalSession: ort.InferenceSession | null = null;
  #evalMeta: { metricNames: string[]; outputNames: string[] } | null = null;

  private constructor(o: TrainerOptions, specs: ParamSpec[]) {
    this.#o = o;
    this.model = o.model;
    this.#specs = specs;
    this.#cfg = o.optimizer;
  }

  static async create(o: TrainerOptions): Promise<OnnxTrainer> {
    const t = new OnnxTrainer(o, buildTrainingGraph(o.model, null).specs);
    const p = startParams(t.#specs, o.params, o.seed ?? 0);
    for (const s of t.#specs) t.#params.set(s.name, new Tensor('float32', paramOf(p, s.name), [...s.shape]));
    t.#adam = freshAdam(p);
    await t.#build();
    return t;
  }

  async #build(): Promise<void> {
    await this.#session?.release();
    this.#session = null;
    const tg = buildTrainingGraph(this.model, this.#cfg);
    this.#trained = tg.trained;
    this.#metricNames = tg.metricNames;
    this.#session = await createSession(serialize(tg.graph), this.#o);
  }

  async step(batch: Batch): Promise<StepResult> {
    const session = this.#session!;
    const { groupFor } = resolveGroups(this.#specs.map((s) => s.name), this.#cfg);
    const extra: Record<string, ort.Tensor> = {};
    for (const [n, t] of this.#params) extra[n] = t;
    for (const n of this.#trained) {
      const st = this.#adam.get(n)!;
      const dims = this.#params.get(n)!.dims;
      extra[adamNames.m(n)] = new Tensor('float32', st.m, dims);
      extra[adamNames.v(n)] = new Tensor('float32', st.v, dims);
      const sc = adamScalars(groupFor(n), st.t + 1, this.#cfg);
      extra[adamNames.stepSize(n)] = scalarTensor(sc.stepSize);
      extra[adamNames.vScale(n)] = scalarTensor(sc.vScale);
      extra[adamNames.decay(n)] = scalarTensor(sc.decay);
    }
    const out = await session.run(feedsFor(session, batch, extra));
    for (const n of this.#trained) {
      this.#params.set(n, outputOf(out, adamNames.newParam(n)));
      const st = this.#adam.get(n)!;
      st.m = outputOf(out, adamNames.newM(n)).data as Float32Array;
      st.v = outputOf(out, adamNames.newV(n)).data as Float32Array;
      st.t += 1;
    }
    this.steps += 1;
    const metrics: Record<string, number> = {};
    for (const m of this.#metricNames) metrics[m] = Number(outputOf(out, `metric.${m}`).data[0]);
    return { loss: Number(outputOf(out, 'loss').data[0]), gradNorm: Number(outputOf(out, adamNames.gradNorm).data[0]), metrics };
  }

  async evaluate(batch: Batch): Promise<EvalResult> {
    if (!this.#evalSession) {
      const eg = buildEvalGraph(this.model);
      this.#evalSession = await createSession(serialize(eg.graph), this.#o);
      this.#evalMeta = eg;
    }
    const s = this.#evalSession;
    const out = await s.run(feedsFor(s, batch, Object.fromEntries(this.#params)));
    const metrics: Record<string, number> = {};
    for (const m of this.#evalMeta!.metricNames) metrics[m] = Number(outputOf(out, `metric.${m}`).data[0]);
    const outputs: Record<string, TensorData> = {};
    for (const k of this.#evalMeta!.outputNames) {
      const t = outputOf(out, k);
      outputs[k] = { data: t.data as Float32Array, dims: [...t.dims] };
    }
    return { loss: Number(outputOf(out, 'loss').data[0]), metrics, outputs };
  }

  getParams(): Params {
    const p: Params = {};
    for (const [n, t] of this.#params) p[n] = Float32Array.from(t.data as Float32Array);
    return p;
  }

  setParams(p: Partial<Params>): void {
    for (const [n, v] of Object.entries(p)) {
      const cur = this.#params.get(n);
      if (!cur) throw new Error(`unknown parameter "${n}"`);
      if (!v || v.length !== cur.data.length) throw new Error(`parameter "${n}": ${v?.length ?? 0} values, expected ${cur.data.length}`);
      this.#params.set(n, new Tensor('float32', Float32Array.from(v), cur.dims));
      this.#adam.set(n, { m: new Float32Array(v.length), v: new Float32Array(v.length), t: 0 });
    }
  }

  async setOptimizer(cfg: AdamConfig): Promise<void> {
    // learning rates are run-time inputs; anything else (frozen set, clipping, betas, decay) is baked into the graph
    const structure = (c: AdamConfig): string => JSON.stringify({ ...c, lr: 0, groups: (c.groups ?? []).map((gr) => ({ ...gr, lr: 0 })) });
    const rebuild = structure(cfg) !== structure(this.#cfg);
    this.#cfg = cfg;
    if (rebuild) await this.#build();
  }

  async saveCheckpoint(file: string, meta: Record<string, unknown> = {}): Promise<void> {
    const params: Params = {};
    for (const [n, t] of this.#params) params[n] = t.data as Float32Array;
    await saveTrainerCheckpoint(file, this.model, this.#specs, { steps: this.steps, params, adam: this.#adam }, meta);
  }

  async loadCheckpoint(file: string): Promise<Record<string, unknown>> {
    const st = await loadTrainerCheckpoint(file, this.model, this.#specs);
    for (const s of this.#specs) this.#params.set(s.name, new Tensor('float32', paramOf(st.params, s.name), [...s.shape]));
    this.#adam = st.adam;
    this.steps = st.steps;
    return st.meta;
  }

  async dispose(): Promise<void> {
    await this.#session?.release();
    await this.#evalSession?.release();
    this.#session = null;
    this.#evalSession = null;
  }
}
