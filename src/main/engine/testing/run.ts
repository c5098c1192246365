import * as ort from 'onnxruntime-node';
import type { GraphBuilder } from '../graph/builder';
import { serialize } from '../onnx/serialize';

type Feed = { data: Float32Array | Float64Array | BigInt64Array | Uint8Array; dims: number[] };

type Out = { dims: number[]; data: number[] };

/**
 * Runs a builder's graph once on the CPU provider and releases the session (tests only); returns
 * the outputs named in `names`, failing when the graph has no such output.
 * @example const { dx } = await runGraph(g, { x: { data, dims: [2] } }, ['dx']);
 */
export async function runGraph<K extends string>(g: GraphBuilder, feeds: Record<string, Feed>, names: readonly K[]): Promise<Record<K, Out>> {
  const s = await ort.InferenceSession.create(serialize(g), { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const tensors: Record<string, ort.Tensor> = {};
    for (const [k, f] of Object.entries(feeds)) {
      const type = f.data instanceof Float64Array ? 'float64' : f.data instanceof BigInt64Array ? 'int64' : f.data instanceof Uint8Array ? 'bool' : 'float32';
      tensors[k] = new ort.Tensor(type, f.data, f.dims);
    }
    const out = await s.run(tensors);
    const res: Partial<Record<K, Out>> = {};
    for (const k of names) {
      const t = out[k];
      if (!t) throw new Error(`runGraph: the graph has no output "${k}" (outputs: ${Object.keys(out).join(', ')})`);
      res[k] = { dims: [...t.dims], data: Array.from(t.data as ArrayLike<number | bigint>, Number) };
    }
    return res as Record<K, Out>; // every name was filled above
  } finally {
    await s.release();
  }
}
