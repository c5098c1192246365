import * as ort from 'onnxruntime-node';
import type { GraphBuilder } from '../graph/builder';
import { serialize } from '../onnx/serialize';

type Feed = { data: Float32Array | Float64Array | BigInt64Array | Uint8Array; dims: number[] };

/** Runs a builder's graph once on the CPU provider and releases the session (tests only). */
export async function runGraph(g: GraphBuilder, feeds: Record<string, Feed>): Promise<Record<string, { dims: number[]; data: number[] }>> {
  const s = await ort.InferenceSession.create(serialize(g), { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const tensors: Record<string, ort.Tensor> = {};
    for (const [k, f] of Object.entries(feeds)) {
      const type = f.data instanceof Float64Array ? 'float64' : f.data instanceof BigInt64Array ? 'int64' : f.data instanceof Uint8Array ? 'bool' : 'float32';
      tensors[k] = new ort.Tensor(type, f.data, f.dims);
    }
    const out = await s.run(tensors);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { dims: [...t.dims], data: Array.from(t.data as ArrayLike<number | bigint>, Number) }]));
  } finally {
    await s.release();
  }
}
