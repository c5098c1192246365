import type { GraphBuilder } from '../graph/builder';
import { at } from '../graph/checked';
import { BugError } from '../graph/types';
import type { Tensor } from '../graph/types';
import { add, div, max, mul, reduceSumSquare, sqrt, sub } from '../ops/index';

/** A set of parameters sharing a learning rate, weight decay and frozen state. */
export interface ParamGroup {
  /** Parameter names in this group. */
  params: readonly string[];
  /** Learning rate (a run-time input: schedules change it without rebuilding the graph). */
  lr: number;
  weightDecay?: number;
  /** Frozen parameters get no gradient and no update (their backward pass is not even built). */
  frozen?: boolean;
}

export interface AdamConfig {
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** AdamW (decay applied to the weights, default) or Adam with L2 added to the gradient. */
  decoupled?: boolean;
  /** Global gradient-norm clipping: grads ·= clip / max(‖g‖, clip). Off when 0 or absent. */
  clipNorm?: number;
  /** Parameters not listed in any group are in a default group with `lr`. */
  groups?: readonly ParamGroup[];
  lr?: number;
}

export interface ResolvedGroup { lr: number; weightDecay: number; frozen: boolean }

/** The group of each parameter (default group index = groups.length). */
export function resolveGroups(names: readonly string[], cfg: AdamConfig): { groupOf: Map<string, number>; groups: ResolvedGroup[]; groupFor: (name: string) => ResolvedGroup } {
  const groups: ResolvedGroup[] = (cfg.groups ?? []).map((gr) => ({ lr: gr.lr, weightDecay: gr.weightDecay ?? 0, frozen: gr.frozen ?? false }));
  groups.push({ lr: cfg.lr ?? 1e-3, weightDecay: 0, frozen: false });
  const groupOf = new Map<string, number>();
  (cfg.groups ?? []).forEach((gr, gi) => {
    for (const n of gr.params) {
      if (!names.includes(n)) throw new BugError(`optimizer group ${gi}: unknown parameter "${n}"`);
      if (groupOf.has(n)) throw new BugError(`parameter "${n}" is in two optimizer groups`);
      groupOf.set(n, gi);
    }
  });
  for (const n of names) if (!groupOf.has(n)) groupOf.set(n, groups.length - 1);
  const groupFor = (name: string): ResolvedGroup => {
    const gr = groups[groupOf.get(name) ?? -1];
    if (!gr) throw new BugError(`optimizer: "${name}" is not one of the parameters the groups were resolved for`);
    return gr;
  };
  return { groupOf, groups, groupFor };
}

/** Names of the run-time inputs and outputs the Adam update adds to a training graph. */
export const adamNames = {
  m: (p: string): string => `adam.m.${p}`,
  v: (p: string): string => `adam.v.${p}`,
  newParam: (p: string): string => `new.${p}`,
  newM: (p: string): string => `new.adam.m.${p}`,
  newV: (p: string): string => `new.adam.v.${p}`,
  /** lr / (1 − β1^t) for parameter p at its step t (bias correction folded in, computed in JS). */
  stepSize: (p: string): string => `adam.step_size.${p}`,
  /** 1 / sqrt(1 − β2^t). */
  vScale: (p: string): string => `adam.v_scale.${p}`,
  /** 1 − lr·wd (AdamW). */
  decay: (p: string): string => `adam.decay.${p}`,
  gradNorm: 'grad_norm',
};

/**
 * Appends a fused Adam/AdamW update (PyTorch semantics) for `params` with gradients `grads`:
 *   g' = clip(g) (+ wd·p for Adam);  m' = β1 m + (1−β1) g';  v' = β2 v + (1−β2) g'²
 *   p' = p·(1 − lr·wd)[AdamW] − lr/(1−β1^t) · m' / (sqrt(v')/sqrt(1−β2^t) + eps)
 * The per-parameter scalars are graph inputs (see `adamNames`, values from `adamScalars`), so
 * learning rates and step counts (kept per parameter, as PyTorch does, so a parameter unfrozen
 * late starts its bias correction at t = 1) change without rebuilding.
 * Outputs `new.<p>`, `new.adam.m.<p>`, `new.adam.v.<p>`, `grad_norm`.
 */
export function appendAdam(g: GraphBuilder, params: readonly Tensor[], grads: readonly Tensor[], groupOfParam: readonly ResolvedGroup[], cfg: AdamConfig): void {
  const b1 = cfg.beta1 ?? 0.9;
  const b2 = cfg.beta2 ?? 0.999;
  const eps = cfg.eps ?? 1e-8;
  const decoupled = cfg.decoupled ?? true;
  const dt = params[0]?.dtype ?? 'float32';
  g.scope('adam', () => {
    // global norm over all trained gradients (clipping and monitoring)
    let sq: Tensor | null = null;
    for (const gr of grads) {
      const s = reduceSumSquare(g, gr, gr.shape.map((_, i) => i), false);
      sq = sq ? add(g, sq, s) : s;
    }
    const norm = sqrt(g, sq ?? g.scalar(0, dt));
    g.output(norm, adamNames.gradNorm);
    const clip = cfg.clipNorm && cfg.clipNorm > 0 ? div(g, g.scalar(cfg.clipNorm, dt), max(g, norm, g.scalar(cfg.clipNorm, dt))) : null;
    if (grads.length !== params.length || groupOfParam.length !== params.length) {
      throw new BugError(`appendAdam: ${params.length} parameters, ${grads.length} gradients, ${groupOfParam.length} groups`);
    }
    params.forEach((p, i) => {
      const wd = at(groupOfParam, i, 'adam groups').weightDecay;
      const s = {
        stepSize: g.input(adamNames.stepSize(p.name), dt, []),
        vScale: g.input(adamNames.vScale(p.name), dt, []),
        decay: decoupled && wd > 0 ? g.input(adamNames.decay(p.name), dt, []) : null,
      };
      let gr = at(grads, i, 'adam gradients');
      if (clip) gr = mul(g, gr, clip);
      if (!decoupled && wd > 0) gr = add(g, gr, mul(g, p, g.scalar(wd, dt)));
      const m = g.input(adamNames.m(p.name), dt, p.shape);
      const v = g.input(adamNames.v(p.name), dt, p.shape);
      const m2 = add(g, mul(g, m, g.scalar(b1, dt)), mul(g, gr, g.scalar(1 - b1, dt)));
      const v2 = add(g, mul(g, v, g.scalar(b2, dt)), mul(g, mul(g, gr, gr), g.scalar(1 - b2, dt)));
      const denom = add(g, mul(g, sqrt(g, v2), s.vScale), g.scalar(eps, dt));
      const base = s.decay ? mul(g, p, s.decay) : p;
      const p2 = sub(g, base, mul(g, div(g, m2, denom), s.stepSize));
      g.output(p2, adamNames.newParam(p.name));
      g.output(m2, adamNames.newM(p.name));
      g.output(v2, adamNames.newV(p.name));
    });
  });
}

/** The scalar feeds of a parameter in `group` at its step t (1-based). */
export function adamScalars(group: ResolvedGroup, t: number, cfg: AdamConfig): { stepSize: number; vScale: number; decay: number } {
  const b1 = cfg.beta1 ?? 0.9;
  const b2 = cfg.beta2 ?? 0.999;
  return { stepSize: group.lr / (1 - b1 ** t), vScale: 1 / Math.sqrt(1 - b2 ** t), decay: 1 - group.lr * group.weightDecay };
}
