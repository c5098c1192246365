import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { resolveDevice } from '../device';
import type { DeviceName } from '../device';
import type { Tuple } from '../graph/checked';
import type { TensorData } from './types';

export interface SessionOptions {
  /** Intra-op threads (default: all cores). Same seed + same thread count → same results. */
  threads?: number;
  device?: DeviceName;
}

/**
 * An ORT session with the engine's settings: all graph optimisations (Transpose+MatMul fusion
 * among them), sequential execution (inter-op parallelism only adds noise on 2 cores), and a
 * fixed intra-op thread count, which makes runs reproducible.
 */
export async function createSession(model: Uint8Array, o: SessionOptions = {}): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: await resolveDevice(o.device ?? 'cpu'),
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: o.threads ?? defaultThreads(),
    interOpNumThreads: 1,
  });
}

export const defaultThreads = (): number => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);

export function toOrt(t: TensorData): ort.Tensor {
  return t.data instanceof BigInt64Array ? new ort.Tensor('int64', t.data, t.dims) : new ort.Tensor('float32', t.data, t.dims);
}

/** A batch's tensors restricted to the inputs the session actually has (unused inputs are pruned at export). */
export function feedsFor(session: ort.InferenceSession, batch: Record<string, TensorData>, extra: Record<string, ort.Tensor> = {}): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    if (extra[name]) feeds[name] = extra[name];
    else if (batch[name]) feeds[name] = toOrt(batch[name]);
    else throw new Error(`missing input "${name}" (batch has: ${Object.keys(batch).join(', ')})`);
  }
  return feeds;
}

export const scalarTensor = (v: number): ort.Tensor => new ort.Tensor('float32', Float32Array.of(v), []);

/** Output `name` of a session run, or an error naming it and the outputs the run gave. */
export function outputOf(res: Readonly<Record<string, ort.Tensor>>, name: string): ort.Tensor {
  const t = res[name];
  if (!t) throw new Error(`the model has no output "${name}" (outputs: ${Object.keys(res).join(', ')})`);
  return t;
}

/** The dims of a rank-`n` tensor as a tuple, or an error naming `what` when the rank differs. */
export function dimsOf<N extends number>(t: ort.Tensor, n: N, what: string): Tuple<number, N> {
  if (t.dims.length !== n) throw new Error(`${what}: expected rank ${n}, got dims [${t.dims.join(', ')}]`);
  return t.dims.map(Number) as Tuple<number, N>;
}
