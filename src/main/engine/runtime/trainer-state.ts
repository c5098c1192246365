import type { ModelSpec } from '../models/index';
import { numelOf, paramOf } from '../models/params';
import type { ParamSpec, Params } from '../models/params';
import { readCheckpoint, writeCheckpoint } from './checkpoint';

/** Adam moments and the parameter's own step count t (bias correction restarts when it is planted anew). */
export interface AdamState { m: Float32Array; v: Float32Array; t: number }

export interface TrainerState {
  steps: number;
  params: Params;
  adam: Map<string, AdamState>;
}

/** Saves a trainer's state (shared by the ONNX and tfjs trainers, so their checkpoints interchange). */
export async function saveTrainerCheckpoint(file: string, model: ModelSpec, specs: readonly ParamSpec[], st: TrainerState, meta: Record<string, unknown>): Promise<void> {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  const adamSteps: Record<string, number> = {};
  for (const s of specs) {
    const a = st.adam.get(s.name)!;
    tensors[`param:${s.name}`] = { shape: [...s.shape], data: paramOf(st.params, s.name) };
    tensors[`adam.m:${s.name}`] = { shape: [...s.shape], data: a.m };
    tensors[`adam.v:${s.name}`] = { shape: [...s.shape], data: a.v };
    adamSteps[s.name] = a.t;
  }
  await writeCheckpoint(file, { meta: { engine: { model, steps: st.steps, adamSteps }, user: meta }, tensors });
}

/** Reads and checks a trainer checkpoint against the model (same spec, every tensor present with its shape). */
export async function loadTrainerCheckpoint(file: string, model: ModelSpec, specs: readonly ParamSpec[]): Promise<TrainerState & { meta: Record<string, unknown> }> {
  const c = await readCheckpoint(file);
  const eng = c.meta.engine as { model: ModelSpec; steps: number; adamSteps: Record<string, number> } | undefined;
  if (!eng) throw new Error(`checkpoint ${file}: not a trainer checkpoint (no engine section)`);
  if (JSON.stringify(eng.model) !== JSON.stringify(model)) throw new Error(`checkpoint ${file}: saved for a different model (${JSON.stringify(eng.model)})`);
  const params: Params = {};
  const adam = new Map<string, AdamState>();
  for (const s of specs) {
    const tensor = (k: string): Float32Array => {
      const t = c.tensors[k];
      if (!t) throw new Error(`checkpoint ${file}: tensor ${k} is missing`);
      if (t.data.length !== numelOf(s.shape)) throw new Error(`checkpoint ${file}: tensor ${k} has shape [${t.shape}], expected [${s.shape}]`);
      return t.data;
    };
    const [param, m, v] = [tensor(`param:${s.name}`), tensor(`adam.m:${s.name}`), tensor(`adam.v:${s.name}`)];
    params[s.name] = param;
    adam.set(s.name, { m, v, t: eng.adamSteps[s.name] ?? 0 });
  }
  return { steps: eng.steps, params, adam, meta: (c.meta.user as Record<string, unknown>) ?? {} };
}

/** Zero moments for every parameter. */
export function freshAdam(params: Params): Map<string, AdamState> {
  return new Map(Object.entries(params).map(([k, v]) => [k, { m: new Float32Array(v.length), v: new Float32Array(v.length), t: 0 }]));
}
