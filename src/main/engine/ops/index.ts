/** The op registry: every op the engine can emit, with its gradient rule (STYLE §6). */
import type { OpDef } from './define';
import { Abs } from './abs';
import { Add } from './add';
import { Cast } from './cast';
import { Concat } from './concat';
import { ConstantOfShape } from './constant-of-shape';
import { Conv } from './conv';
import { Div } from './div';
import { Equal } from './equal';
import { Exp } from './exp';
import { Expand } from './expand';
import { Gather } from './gather';
import { GatherND } from './gather-nd';
import { Gemm } from './gemm';
import { Greater } from './greater';
import { Identity } from './identity';
import { Less } from './less';
import { LabelAttention } from './label-attention';
import { Log } from './log';
import { LogSoftmax } from './log-softmax';
import { MatMul } from './mat-mul';
import { Max } from './max';
import { Mul } from './mul';
import { Neg } from './neg';
import { Pad } from './pad';
import { ReduceMax } from './reduce-max';
import { ReduceMean } from './reduce-mean';
import { ReduceSum } from './reduce-sum';
import { ReduceSumSquare } from './reduce-sum-square';
import { Relu } from './relu';
import { Reshape } from './reshape';
import { ScatterND } from './scatter-nd';
import { Shape } from './shape';
import { Sigmoid } from './sigmoid';
import { Sign } from './sign';
import { Size } from './size';
import { Slice } from './slice';
import { Softmax } from './softmax';
import { Softplus } from './softplus';
import { Split } from './split';
import { Sqrt } from './sqrt';
import { Squeeze } from './squeeze';
import { StopGradient } from './stop-gradient';
import { Sub } from './sub';
import { Tanh } from './tanh';
import { TopK } from './top-k';
import { Transpose } from './transpose';
import { Unsqueeze } from './unsqueeze';
import { Where } from './where';

export { Abs, abs } from './abs';
export { Add, add } from './add';
export { Cast, cast } from './cast';
export { Concat, concat } from './concat';
export { ConstantOfShape, constantOfShape } from './constant-of-shape';
export { Conv, conv } from './conv';
export { Div, div } from './div';
export { Equal, equal } from './equal';
export { Exp, exp } from './exp';
export { Expand, expand } from './expand';
export { Gather, gather } from './gather';
export { GatherND, gatherND } from './gather-nd';
export { Gemm, gemm } from './gemm';
export { Greater, greater } from './greater';
export { Identity, identity } from './identity';
export { Less, less } from './less';
export { LabelAttention, labelAttention } from './label-attention';
export { Log, log } from './log';
export { LogSoftmax, logSoftmax } from './log-softmax';
export { MatMul, matMul } from './mat-mul';
export { Max, max } from './max';
export { Mul, mul } from './mul';
export { Neg, neg } from './neg';
export { Pad, pad } from './pad';
export { ReduceMax, reduceMax } from './reduce-max';
export { ReduceMean, reduceMean } from './reduce-mean';
export { ReduceSum, reducedShape, keepDimsGrad, reduceSum } from './reduce-sum';
export { ReduceSumSquare, reduceSumSquare } from './reduce-sum-square';
export { Relu, relu } from './relu';
export { Reshape, reshape } from './reshape';
export { ScatterND, scatterND } from './scatter-nd';
export { Shape, shapeOf } from './shape';
export { Sigmoid, sigmoid } from './sigmoid';
export { Sign, sign } from './sign';
export { Size, size } from './size';
export { Slice, slice, sliceSteps } from './slice';
export { Softmax, softmax } from './softmax';
export { Softplus, softplus } from './softplus';
export { Split, split } from './split';
export { Sqrt, sqrt } from './sqrt';
export { Squeeze, squeeze } from './squeeze';
export { StopGradient, stopGradient } from './stop-gradient';
export { Sub, sub } from './sub';
export { Tanh, tanh } from './tanh';
export { TopK, topK } from './top-k';
export { Transpose, transpose } from './transpose';
export { Unsqueeze, unsqueeze } from './unsqueeze';
export { Where, where } from './where';
export { defineOp } from './define';
export type { GradContext, OpDef, OutputInfo } from './define';
export { unbroadcast, zerosLike, transposeLast2 } from './util';

/** Every op, once. A test checks each has a grad rule or is marked nonDifferentiable, and has a gradcheck case. */
export const ALL_OPS: readonly OpDef[] = [
  Abs, Add, Cast, Concat, ConstantOfShape, Conv, Div, Equal,
  Exp, Expand, Gather, GatherND, Gemm, Greater, Identity, LabelAttention, Less,
  Log, LogSoftmax, MatMul, Max, Mul, Neg, Pad, ReduceMax,
  ReduceMean, ReduceSum, ReduceSumSquare, Relu, Reshape, ScatterND, Shape, Sigmoid,
  Sign, Size, Slice, Softmax, Softplus, Split, Sqrt, Squeeze,
  StopGradient, Sub, Tanh, TopK, Transpose, Unsqueeze, Where,
];
