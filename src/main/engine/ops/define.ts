import type { GraphBuilder } from '../graph/builder';
import type { Attrs, DType, Shape, Tensor } from '../graph/types';

/** What a gradient rule sees of the forward node it differentiates. */
export interface GradContext {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** Gradient of the loss w.r.t. each output; null where no gradient flows into that output. */
  readonly dys: readonly (Tensor | null)[];
  readonly attrs: Attrs;
  /** needs[i] is false when input i leads to no differentiated parameter: the rule may return null there. */
  readonly needs: readonly boolean[];
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

export function defineOp(def: OpDef): OpDef {
  if (def.grad && def.nonDifferentiable) throw new Error(`op ${def.onnx}: both grad and nonDifferentiable`);
  return def;
}

/** Output info for ops whose single output has the first input's dtype and shape. */
export const sameAsFirst = (inputs: readonly Tensor[]): OutputInfo[] => [{ dtype: inputs[0].dtype, shape: inputs[0].shape }];
