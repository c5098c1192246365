import type { GraphBuilder } from '../graph/builder';
import { dimAt } from '../graph/types';
import type { Tensor } from '../graph/types';
import { defineOp } from './define';
import { mul } from './mul';
import { unbroadcast } from './util';

const fl = (v: unknown, d: number): number => (v === undefined ? d : (v as { f: number }).f);

/** Y = alpha·op(A)·op(B) + beta·C for 2-D A, B; C broadcasts to [M, N]. */
export const Gemm = defineOp({
  onnx: 'Gemm',
  arity: 2,
  infer: ([a, b], attrs) => {
    const m = dimAt(a.shape, attrs.transA ? 1 : 0, 'Gemm A');
    const n = dimAt(b.shape, attrs.transB ? 0 : 1, 'Gemm B');
    return [{ dtype: a.dtype, shape: [m, n] }];
  },
  // d op(A) = alpha·dY·op(B)ᵀ and d op(B) = alpha·op(A)ᵀ·dY, written back as Gemms with flipped flags
  grad: (g, { inputs: [a, b, c], dys: [dy], attrs, needs }) => {
    const alpha = fl(attrs.alpha, 1);
    const beta = fl(attrs.beta, 1);
    const tA = (attrs.transA as number | undefined) ?? 0;
    const tB = (attrs.transB as number | undefined) ?? 0;
    const da = !needs[0] ? null : tA ? gemm(g, b, dy!, { alpha, transA: tB, transB: 1 }) : gemm(g, dy!, b, { alpha, transB: 1 - tB });
    const db = !needs[1] ? null : tB ? gemm(g, dy!, a, { alpha, transA: 1, transB: tA }) : gemm(g, a, dy!, { alpha, transA: 1 - tA });
    const dc = c && needs[2] ? unbroadcast(g, beta === 1 ? dy! : mul(g, dy!, g.scalar(beta, dy!)), c.shape) : null;
    return c ? [da, db, dc] : [da, db];
  },
});

export interface GemmOptions { alpha?: number; beta?: number; transA?: number; transB?: number }
export function gemm(g: GraphBuilder, a: Tensor, b: Tensor, o: GemmOptions = {}, c?: Tensor): Tensor {
  const attrs = {
    ...(o.alpha !== undefined && o.alpha !== 1 ? { alpha: { f: o.alpha } } : {}),
    ...(o.beta !== undefined && o.beta !== 1 ? { beta: { f: o.beta } } : {}),
    ...(o.transA ? { transA: 1 } : {}),
    ...(o.transB ? { transB: 1 } : {}),
  };
  return g.apply1(Gemm, c ? [a, b, c] : [a, b], attrs);
}
