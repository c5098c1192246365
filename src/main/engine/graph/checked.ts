import { BugError, isStatic } from './types';
import type { Dim, Shape } from './types';

/** A fixed-length tuple type: `Tuple<T, 2>` is `[T, T]`. */
export type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [...R, T]>;

/**
 * The first `n` items of `xs` as a tuple, or a BugError naming `what` when there are fewer: for
 * graph-building code (op inputs, node outputs), where a short list is a programming error.
 * @example const [a, b] = take(inputs, 2, 'MatMul inputs');
 */
export function take<T, N extends number>(xs: readonly T[], n: N, what: string): Tuple<T, N> {
  if (xs.length < n) throw new BugError(`${what}: expected ${n}, got ${xs.length}`);
  return xs.slice(0, n) as Tuple<T, N>;
}

/** `xs[i]`, or a BugError naming `what` when `i` is out of range. Not for hot loops (one call per element). */
export function at<T>(xs: ArrayLike<T>, i: number, what: string): T {
  if (!(i >= 0 && i < xs.length)) throw new BugError(`${what}: index ${i} out of range [0, ${xs.length})`);
  return xs[i] as T;
}

/** The dims of a rank-`n` shape as a tuple, or a BugError naming `what` when the rank differs. */
export function ranked<N extends number>(shape: Shape, n: N, what: string): Tuple<Dim, N> {
  if (shape.length !== n) throw new BugError(`${what}: expected rank ${n}, got shape [${shape.join(',')}]`);
  return [...shape] as Tuple<Dim, N>;
}

/** `ranked` for shapes whose dims must all be known numbers (parameters, constants). */
export function staticRanked<N extends number>(shape: Shape, n: N, what: string): Tuple<number, N> {
  if (shape.length !== n || !isStatic(shape)) throw new BugError(`${what}: expected ${n} static dims, got shape [${shape.join(',')}]`);
  return [...shape] as Tuple<number, N>;
}
