import { defineOp, sameAsFirst } from '../ops/define';
import type { OpDef } from '../ops/define';
import { BugError } from './types';
import type { Attrs, DType, Shape, Tensor } from './types';

/** A node of the graph: one ONNX node (or, as `composite`, the fused op it was emitted for). */
export interface GraphNode {
  readonly op: OpDef;
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Attrs;
  /** Set on the ONNX nodes a composite op expanded to: autodiff differentiates the composite as one unit. */
  composite?: GraphNode;
}

export type ConstData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface Constant {
  readonly tensor: Tensor;
  readonly data: ConstData;
}

const typedFor = (dtype: DType, values: ArrayLike<number>): ConstData => {
  switch (dtype) {
    case 'float32': return Float32Array.from(values);
    case 'float64': return Float64Array.from(values);
    case 'int64': return BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
    case 'int32': return Int32Array.from(values);
    case 'bool': return Uint8Array.from(values);
  }
};

/**
 * Builds an ONNX graph in memory. Nodes are appended in topological order, which the autodiff
 * relies on. Composite ops are recorded as one node and expanded at serialization, so their
 * gradient rule sees the composite, not its parts.
 */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly inputs: Tensor[] = [];
  readonly outputs: Tensor[] = [];
  readonly constants = new Map<string, Constant>();
  readonly #names = new Set<string>();
  readonly #constCache = new Map<string, Tensor>();
  #scope: string[] = [];
  #counter = 0;

  /** A graph input (`dims` may hold symbols such as 'B'). */
  input(name: string, dtype: DType, shape: Shape): Tensor {
    this.#claim(name);
    const t: Tensor = { name, dtype, shape: [...shape] };
    this.inputs.push(t);
    return t;
  }

  /** An initializer holding `values` (row-major). Small numeric constants are deduplicated. */
  constant(values: ArrayLike<number> | ConstData, dtype: DType, shape: Shape, name?: string): Tensor {
    const data = ArrayBuffer.isView(values) && typedMatches(values, dtype) ? (values as ConstData) : typedFor(dtype, values as ArrayLike<number>);
    const key = !name && data.length <= 16 ? `${dtype}|${shape.join(',')}|${Array.from(data as ArrayLike<number | bigint>).join(',')}` : null;
    if (key) {
      const hit = this.#constCache.get(key);
      if (hit) return hit;
    }
    const tname = name ?? this.#fresh('const');
    if (name) this.#claim(name);
    const tensor: Tensor = { name: tname, dtype, shape: [...shape] };
    this.constants.set(tname, { tensor, data });
    if (key) this.#constCache.set(key, tensor);
    return tensor;
  }

  /** A scalar constant with the dtype of `like` (or the given dtype). */
  scalar(value: number, like: Tensor | DType): Tensor {
    return this.constant([value], typeof like === 'string' ? like : like.dtype, []);
  }

  /** A 1-D int64 constant, e.g. axes or a shape. */
  ints(values: readonly number[]): Tensor {
    return this.constant(values, 'int64', [values.length]);
  }

  /** Static shapes that `Shape(x)` outputs stand for, so Expand/Reshape/ConstantOfShape can infer theirs. */
  readonly shapeHints = new Map<string, Shape>();

  /** The values of a constant tensor, or undefined if it is computed at run time. */
  valueOf(t: Tensor): number[] | undefined {
    const c = this.constants.get(t.name);
    return c ? Array.from(c.data as ArrayLike<number | bigint>, Number) : undefined;
  }

  /**
   * Appends a node for `op`; returns its outputs. `shapes` overrides the inferred output shapes
   * where the caller knows more (e.g. a Pad whose pads are computed at run time).
   */
  apply(op: OpDef, inputs: readonly Tensor[], attrs: Attrs = {}, shapes?: readonly Shape[]): Tensor[] {
    if (op.expand) {
      // composite: emit its ONNX nodes now, remember them as one unit for the gradient
      const name = this.#fresh(op.onnx);
      const start = this.nodes.length;
      const outputs = this.scope(name.split('/').at(-1)!, () => op.expand!(this, inputs, attrs));
      const unit: GraphNode = { op, name, inputs: [...inputs], outputs, attrs };
      for (const n of this.nodes.slice(start)) n.composite ??= unit;
      return outputs;
    }
    const infos = op.infer(inputs, attrs, this).map((info, i) => (shapes?.[i] ? { ...info, shape: shapes[i] } : info));
    const name = this.#fresh(op.onnx);
    const outputs = infos.map((info, i): Tensor => ({ name: `${name}:${i}`, dtype: info.dtype, shape: [...info.shape] }));
    for (const o of outputs) this.#claim(o.name);
    this.nodes.push({ op, name, inputs: [...inputs], outputs, attrs });
    return outputs;
  }

  /** `apply` for single-output ops. */
  apply1(op: OpDef, inputs: readonly Tensor[], attrs: Attrs = {}, shape?: Shape): Tensor {
    const [out] = this.apply(op, inputs, attrs, shape ? [shape] : undefined);
    if (!out) throw new BugError(`${op.onnx} gave no output`);
    return out;
  }

  /** Marks `t` as a graph output named `name` (an Identity node is added when the name differs). */
  output(t: Tensor, name: string = t.name): Tensor {
    if (t.name === name && !this.outputs.some((o) => o.name === name)) {
      this.outputs.push(t);
      return t;
    }
    this.#claim(name);
    const out: Tensor = { name, dtype: t.dtype, shape: t.shape };
    this.nodes.push({ op: OUTPUT_IDENTITY, name: `${name}/identity`, inputs: [t], outputs: [out], attrs: {} });
    this.outputs.push(out);
    return out;
  }

  /** Runs `fn` with node names prefixed by `prefix/` (for readable graphs and error messages). */
  scope<R>(prefix: string, fn: () => R): R {
    this.#scope.push(prefix);
    try {
      return fn();
    } finally {
      this.#scope.pop();
    }
  }

  #fresh(base: string): string {
    let name: string;
    do {
      this.#counter += 1;
      name = [...this.#scope, `${base}_${this.#counter}`].join('/');
    } while (this.#names.has(name));
    return name;
  }

  #claim(name: string): void {
    if (this.#names.has(name)) throw new BugError(`duplicate tensor name "${name}"`);
    this.#names.add(name);
  }
}

function typedMatches(v: ArrayBufferView, dtype: DType): boolean {
  return (dtype === 'float32' && v instanceof Float32Array) || (dtype === 'float64' && v instanceof Float64Array)
    || (dtype === 'int64' && v instanceof BigInt64Array) || (dtype === 'int32' && v instanceof Int32Array)
    || (dtype === 'bool' && v instanceof Uint8Array);
}

/** The Identity that `output()` adds to rename a tensor; serialization folds it away where it can. */
export const OUTPUT_IDENTITY: OpDef = defineOp({
  onnx: 'Identity',
  arity: 1,
  infer: sameAsFirst,
  grad: (_g, { dys: [dy] }) => [dy],
});
