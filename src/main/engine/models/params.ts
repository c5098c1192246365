import { BugError } from '../graph/types';
import { Rng } from '../rng';

/** How a parameter is initialised (PLANT §2: U trunc-normal(0.01), W Kaiming-normal, b ~ U(±0.1)). */
export type Init =
  | { kind: 'zeros' }
  | { kind: 'normal'; std: number }
  | { kind: 'truncNormal'; std: number }
  | { kind: 'uniform'; limit: number }
  /** Kaiming-normal for a linear map with `fanIn` inputs: std = sqrt(2 / fanIn). */
  | { kind: 'kaiming'; fanIn: number }
  /** Glorot-uniform: limit = sqrt(6 / (fanIn + fanOut)). */
  | { kind: 'glorot'; fanIn: number; fanOut: number };

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: Init;
}

/** Parameters by name, row-major float32 (the engine's exchange format). */
export type Params = Record<string, Float32Array>;

/** Parameter `name` of `p` (graph tensors or values), or a BugError naming it and the parameters `p` has. */
export function paramOf<T>(p: Readonly<Record<string, T>>, name: string): T {
  const v = p[name];
  if (v === undefined) throw new BugError(`no parameter "${name}" (have: ${Object.keys(p).join(', ') || 'none'})`);
  return v;
}

export const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Deterministic initial values: each parameter draws from its own stream forked from `seed` by position. */
export function initParams(specs: readonly ParamSpec[], seed: number): Params {
  const out: Params = {};
  const root = new Rng(seed);
  for (const [i, s] of specs.entries()) {
    const rng = root.fork(i);
    const n = numelOf(s.shape);
    const a = new Float32Array(n);
    const init = s.init;
    switch (init.kind) {
      case 'zeros': break;
      case 'normal': for (let j = 0; j < n; j++) a[j] = rng.normal() * init.std; break;
      case 'truncNormal': for (let j = 0; j < n; j++) a[j] = rng.truncNormal(init.std); break;
      case 'uniform': for (let j = 0; j < n; j++) a[j] = (2 * rng.next() - 1) * init.limit; break;
      case 'kaiming': { const std = Math.sqrt(2 / init.fanIn); for (let j = 0; j < n; j++) a[j] = rng.normal() * std; break; }
      case 'glorot': { const lim = Math.sqrt(6 / (init.fanIn + init.fanOut)); for (let j = 0; j < n; j++) a[j] = (2 * rng.next() - 1) * lim; break; }
    }
    out[s.name] = a;
  }
  return out;
}

/** Checks that `params` holds every spec with the right element count; the message names the first mismatch. */
export function checkParams(specs: readonly ParamSpec[], params: Params): void {
  for (const s of specs) {
    const p = params[s.name];
    if (!p) throw new Error(`parameter "${s.name}" is missing`);
    if (p.length !== numelOf(s.shape)) throw new Error(`parameter "${s.name}": ${p.length} values, expected ${numelOf(s.shape)} for shape [${s.shape.join(', ')}]`);
  }
}
