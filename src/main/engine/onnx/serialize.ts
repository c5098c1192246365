import onnxProto from 'onnx-proto';
import { OUTPUT_IDENTITY } from '../graph/builder';
import type { ConstData, GraphBuilder, GraphNode } from '../graph/builder';
import { BugError, DTYPE_CODE } from '../graph/types';
import type { AttrValue, DType, Shape, Tensor } from '../graph/types';

const { onnx } = onnxProto;

/** Opset 16 + IR 8: the newest pair onnx-proto 8 encodes that ORT 1.30 loads; ScatterND add needs ≥ 16. */
export const OPSET = 16;
export const IR_VERSION = 8;

export interface SerializeOptions {
  /** Graph inputs to turn into initializers (e.g. trained parameters for a standalone export). */
  bake?: ReadonlyMap<string, Float32Array | Float64Array>;
  graphName?: string;
  /** Free-form metadata (string key/values) stored in the model. */
  metadata?: Record<string, string>;
}

const bytesOf = (d: ConstData | Float32Array | Float64Array): Uint8Array => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

function tensorProto(name: string, dtype: DType, dims: readonly number[], data: ConstData | Float32Array | Float64Array): onnxProto.onnx.ITensorProto {
  return { name, dataType: DTYPE_CODE[dtype], dims: [...dims], rawData: bytesOf(data) };
}

function valueInfo(t: Tensor): onnxProto.onnx.IValueInfoProto {
  return {
    name: t.name,
    type: {
      tensorType: {
        elemType: DTYPE_CODE[t.dtype],
        shape: { dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : d.startsWith('?') ? {} : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: [...(v as number[])] };
  if ('f' in v) return { name, type: T.FLOAT, f: v.f };
  if ('fs' in v) return { name, type: T.FLOATS, floats: [...v.fs] };
  if ('t' in v) {
    const data = v.t.dtype === 'float32' ? Float32Array.from(v.t.values) : v.t.dtype === 'float64' ? Float64Array.from(v.t.values)
      : v.t.dtype === 'int64' ? BigInt64Array.from(v.t.values.map(BigInt)) : Int32Array.from(v.t.values);
    return { name, type: T.TENSOR, t: tensorProto('', v.t.dtype, [v.t.values.length], data) };
  }
  throw new BugError(`attribute ${name}: unsupported value`);
}

/** Nodes needed for the graph outputs, in their (topological) order. */
function liveNodes(g: GraphBuilder): GraphNode[] {
  const producer = new Map<string, GraphNode>();
  for (const n of g.nodes) for (const o of n.outputs) producer.set(o.name, n);
  const live = new Set<GraphNode>();
  const stack = g.outputs.map((o) => o.name);
  while (stack.length) {
    const n = producer.get(stack.pop()!);
    if (!n || live.has(n)) continue;
    live.add(n);
    for (const i of n.inputs) stack.push(i.name);
  }
  return g.nodes.filter((n) => live.has(n));
}

const staticDims = (s: Shape, what: string): number[] => {
  if (!s.every((d) => typeof d === 'number')) throw new BugError(`${what}: baked tensors need static shapes, got [${s.join(',')}]`);
  return s as number[];
};

/**
 * Graph outputs that only rename a node's result (GraphBuilder.output adds an Identity) take the
 * name of that result instead: ORT keeps such Identity nodes, and each copied a whole tensor per
 * step (10 MB for each embedding moment).
 */
/** The tensor names an output Identity (one input, one output) renames from and to. */
function identityEnds(n: GraphNode): [string, string] {
  const [src] = n.inputs;
  const [dst] = n.outputs;
  if (!src || !dst) throw new BugError(`output identity ${n.name} needs one input and one output`);
  return [src.name, dst.name];
}

function outputRenames(g: GraphBuilder): Map<string, string> {
  const produced = new Set<string>();
  for (const n of g.nodes) if (n.op !== OUTPUT_IDENTITY) for (const o of n.outputs) produced.add(o.name);
  const outputs = new Set(g.outputs.map((o) => o.name));
  const rename = new Map<string, string>();
  for (const n of g.nodes) {
    if (n.op !== OUTPUT_IDENTITY) continue;
    const [src, dst] = identityEnds(n);
    if (produced.has(src) && !outputs.has(src) && !rename.has(src)) rename.set(src, dst);
  }
  return rename;
}

/** Encodes the builder's graph as ONNX ModelProto bytes, keeping only nodes the outputs need. */
export function serialize(g: GraphBuilder, opts: SerializeOptions = {}): Uint8Array {
  const rename = outputRenames(g);
  const nm = (t: Tensor): string => rename.get(t.name) ?? t.name;
  // an output Identity whose rename was applied is folded away
  const folded = (n: GraphNode): boolean => {
    if (n.op !== OUTPUT_IDENTITY) return false;
    const [src, dst] = identityEnds(n);
    return rename.get(src) === dst;
  };
  const nodes = liveNodes(g).filter((n) => !folded(n));
  const used = new Set<string>(g.outputs.map((o) => o.name));
  for (const n of nodes) for (const i of n.inputs) used.add(i.name);
  const bake = opts.bake ?? new Map();
  const initializer: onnxProto.onnx.ITensorProto[] = [];
  for (const [name, c] of g.constants) {
    if (used.has(name)) initializer.push(tensorProto(name, c.tensor.dtype, staticDims(c.tensor.shape, name), c.data));
  }
  const inputs: onnxProto.onnx.IValueInfoProto[] = [];
  for (const t of g.inputs) {
    if (!used.has(t.name)) continue;
    const baked = bake.get(t.name);
    if (baked) {
      const dims = staticDims(t.shape, t.name);
      if (baked.length !== dims.reduce((a, b) => a * b, 1)) throw new BugError(`bake ${t.name}: ${baked.length} values for shape [${dims}]`);
      initializer.push(tensorProto(t.name, t.dtype, dims, baked));
    } else inputs.push(valueInfo(t));
  }
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'planter-engine',
    opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: opts.graphName ?? 'planter',
      node: nodes.map((n) => ({
        name: n.name,
        opType: n.op.onnx,
        domain: n.op.domain ?? '',
        input: n.inputs.map(nm),
        output: n.outputs.map(nm),
        attribute: Object.entries(n.attrs).filter(([k]) => !k.startsWith('__')).map(([k, v]) => attribute(k, v)),
      })),
      initializer,
      input: inputs,
      output: g.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
