import { BugError } from './types';

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
