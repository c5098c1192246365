import type { GraphBuilder, GraphNode } from './graph/builder';
import { BugError, isFloat } from './graph/types';
import type { Tensor } from './graph/types';
import { add } from './ops/add';
import { zerosLike } from './ops/util';

/**
 * Reverse-mode differentiation (STYLE §6): appends the backward graph of `loss` to `g` and
 * returns d loss / d wrt[i] for each i (zeros where a parameter does not reach the loss).
 * Only nodes on a path from a `wrt` tensor to the loss are differentiated; nonDifferentiable ops
 * (comparisons, shapes, stopGradient) cut the path. Gradients of tensors with several consumers
 * are summed.
 */
/**
 * The nodes autodiff works on: ONNX nodes, with the nodes of each composite op replaced by the
 * composite (placed where its last node was). Its inner tensors must not be used outside it.
 */
function units(all: readonly GraphNode[]): GraphNode[] {
  const out: GraphNode[] = [];
  const inner = new Map<string, GraphNode>();
  all.forEach((n, i) => {
    const c = n.composite;
    if (!c) {
      for (const t of n.inputs) {
        const owner = inner.get(t.name);
        if (owner && !owner.outputs.some((o) => o.name === t.name)) {
          throw new BugError(`tensor ${t.name} is internal to composite ${owner.name} but used by ${n.name}`);
        }
      }
      out.push(n);
      return;
    }
    for (const o of n.outputs) inner.set(o.name, c);
    if (all[i + 1]?.composite !== c) out.push(c);
  });
  return out;
}

/** One gradient per parameter: a tuple when `wrt` is one (`const [da, db] = gradients(g, loss, [a, b])`). */
export type Gradients<W extends readonly Tensor[]> = { -readonly [K in keyof W]: Tensor };

// `| []` makes TS infer `wrt` written as a literal as a tuple
export function gradients<W extends readonly Tensor[] | []>(g: GraphBuilder, loss: Tensor, wrt: W, seed?: Tensor): Gradients<W> {
  if (!seed && loss.shape.length !== 0) throw new BugError(`gradients: loss ${loss.name} must be a scalar (shape [${loss.shape.join(',')}])`);
  const nodes = units(g.nodes);
  // forward sweep: which tensors depend on a parameter
  const requires = new Set(wrt.map((t) => t.name));
  for (const n of nodes) {
    if (n.op.nonDifferentiable) continue;
    if (n.inputs.some((t) => requires.has(t.name))) for (const o of n.outputs) if (isFloat(o.dtype)) requires.add(o.name);
  }
  // backward sweep: which nodes the loss depends on
  const producer = new Map<string, GraphNode>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o.name, n);
  const onPath = new Set<GraphNode>();
  const stack = [loss.name];
  while (stack.length) {
    const n = producer.get(stack.pop()!);
    if (!n || onPath.has(n)) continue;
    onPath.add(n);
    for (const i of n.inputs) if (requires.has(i.name)) stack.push(i.name);
  }

  const grads = new Map<string, Tensor>();
  grads.set(loss.name, seed ?? g.scalar(1, loss));
  const accumulate = (t: Tensor, d: Tensor): void => {
    const prev = grads.get(t.name);
    grads.set(t.name, prev ? add(g, prev, d) : d);
  };
  g.scope('grad', () => {
    for (const n of nodes.toReversed()) {
      if (!onPath.has(n)) continue;
      const dys = n.outputs.map((o) => grads.get(o.name) ?? null);
      if (dys.every((d) => d === null)) continue;
      if (n.op.nonDifferentiable) continue;
      if (!n.op.grad) throw new BugError(`no gradient for ${n.op.onnx} (node ${n.name})`);
      const needs = n.inputs.map((t) => requires.has(t.name));
      const res = n.op.grad(g, { inputs: n.inputs, outputs: n.outputs, dys, attrs: n.attrs, needs });
      if (res.length !== n.inputs.length) {
        throw new BugError(`gradient rule of ${n.op.onnx} returned ${res.length} gradients for ${n.inputs.length} inputs (node ${n.name})`);
      }
      n.inputs.forEach((t, i) => {
        if (!needs[i]) return;
        const d = res[i];
        if (!d) throw new BugError(`gradient rule of ${n.op.onnx} gave no gradient for input ${i} (node ${n.name})`);
        if (d.shape.length !== t.shape.length) {
          throw new BugError(`gradient of ${t.name} has rank ${d.shape.length}, expected ${t.shape.length} (node ${n.name})`);
        }
        accumulate(t, d);
      });
    }
  });
  return wrt.map((t) => grads.get(t.name) ?? zerosLike(g, t)) as Gradients<W>; // map keeps the length
}
