import type { GraphBuilder } from '../graph/builder';
import type { Tuple } from '../graph/checked';
import { BugError } from '../graph/types';
import type { Attrs, DType, Shape, Tensor } from '../graph/types';

/** A list of at least `N` items: the first `N` are typed as present, the rest may be absent. */
export type AtLeast<T, N extends number> = readonly [...Tuple<T, N>, ...T[]];

/**
 * What a gradient rule sees of the forward node it differentiates: at least `N` inputs and `M`
 * outputs (the op's declared arity, checked before the rule runs).
 */
export interface GradContext<N extends number = 0, M extends number = 0> {
  readonly inputs: AtLeast<Tensor, N>;
  readonly outputs: AtLeast<Tensor, M>;
  /** Gradient of the loss w.r.t. each output; null where no gradient flows into that output. */
  readonly dys: AtLeast<Tensor | null, M>;
  readonly attrs: Attrs;
  /** needs[i] is false when input i leads to no differentiated parameter: the rule may return null there. */
  readonly needs: AtLeast<boolean, N>;
}

export interface OutputInfo {
  dtype: DType;
  shape: Shape;
}

/**
 * One ONNX op: its name, shape rule, and gradient rule (STYLE §6). A composite op (several ONNX
 * nodes with one hand-fused gradient rule, like tfjs's fused kernels) sets `expand` instead.
 */
export interface OpDef {
  /** ONNX op_type. */
  readonly onnx: string;
  readonly domain?: string;
  /** Output dtypes and shapes; `g` gives access to constant input values. */
  infer(inputs: readonly Tensor[], attrs: Attrs, g: GraphBuilder): OutputInfo[];
  /** One entry per input, in input order; null = no gradient for that input. */
  grad?(g: GraphBuilder, ctx: GradContext): (Tensor | null)[];
  /** Composite ops: emits the op's ONNX nodes and returns its outputs (then `infer` is not used). */
  expand?(g: GraphBuilder, inputs: readonly Tensor[], attrs: Attrs): Tensor[];
  /** True for ops whose outputs carry no gradient (comparisons, shapes, indices, stopGradient). */
  readonly nonDifferentiable?: true;
}

/**
 * An op as written in its file: `OpDef` plus its arity, so its rules can destructure the inputs
 * (and outputs) they always get without checking each one.
 */
export interface OpSpec<N extends number, M extends number> {
  readonly onnx: string;
  readonly domain?: string;
  /** How many inputs the op needs; optional inputs (Gemm's C, Conv's bias) come after these. */
  readonly arity: N;
  /** How many outputs the gradient rule may rely on (default 1; Split's count varies, from 1 up). */
  readonly outputs?: M;
  infer(inputs: AtLeast<Tensor, N>, attrs: Attrs, g: GraphBuilder): OutputInfo[];
  grad?(g: GraphBuilder, ctx: GradContext<N, M>): (Tensor | null)[];
  expand?(g: GraphBuilder, inputs: AtLeast<Tensor, N>, attrs: Attrs): Tensor[];
  readonly nonDifferentiable?: true;
}

/** Checks `xs` holds the `n` items an op's rule needs; a BugError naming the op and what is short otherwise. */
function atLeast<T, N extends number>(op: string, what: string, xs: readonly T[], n: N): AtLeast<T, N> {
  if (xs.length < n) throw new BugError(`${op}: needs ${n} ${what}, got ${xs.length}`);
  return xs as unknown as AtLeast<T, N>; // the length is checked above; TS cannot narrow by it
}

/**
 * An op for the registry: its rules get their inputs (and outputs, gradients, flags) checked
 * against the declared arity first, a BugError naming the op otherwise (graph building only).
 */
export function defineOp<N extends number, M extends number = 1>(spec: OpSpec<N, M>): OpDef {
  const { onnx, arity, grad, expand } = spec;
  if (grad && spec.nonDifferentiable) throw new Error(`op ${onnx}: both grad and nonDifferentiable`);
  // M defaults to 1 exactly when `outputs` is left out
  const outs = (spec.outputs ?? 1) as M;
  return {
    onnx,
    domain: spec.domain,
    nonDifferentiable: spec.nonDifferentiable,
    infer: (inputs, attrs, g) => spec.infer(atLeast(onnx, 'inputs', inputs, arity), attrs, g),
    expand: expand && ((g, inputs, attrs) => expand(g, atLeast(onnx, 'inputs', inputs, arity), attrs)),
    grad: grad && ((g, ctx) => grad(g, {
      inputs: atLeast(onnx, 'inputs', ctx.inputs, arity),
      outputs: atLeast(onnx, 'outputs', ctx.outputs, outs),
      dys: atLeast(onnx, 'output gradients', ctx.dys, outs),
      attrs: ctx.attrs,
      needs: atLeast(onnx, 'input flags', ctx.needs, arity),
    })),
  };
}

/** Output info for ops whose single output has the first input's dtype and shape. */
export const sameAsFirst = ([x]: AtLeast<Tensor, 1>): OutputInfo[] => [{ dtype: x.dtype, shape: x.shape }];
