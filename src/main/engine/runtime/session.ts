import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { resolveDevice } from '../device';
import type { DeviceName } from '../device';
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
