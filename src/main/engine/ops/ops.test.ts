import { describe, expect, it } from 'vitest';
import { gradcheck, runForward } from '../testing/gradcheck';
import { FORWARD_CASES, GRAD_CASES } from '../testing/op-cases';
import { ALL_OPS } from './index';

describe('op registry', () => {
  it('every op has a gradient rule or is marked nonDifferentiable', () => {
    for (const op of ALL_OPS) expect(Boolean(op.grad) || op.nonDifferentiable === true, op.onnx).toBe(true);
  });
  it('every differentiable op has a gradcheck case, every other op a forward case', () => {
    for (const op of ALL_OPS) {
      if (op.grad) expect(GRAD_CASES.get(op)?.length ?? 0, `gradcheck case for ${op.onnx}`).toBeGreaterThan(0);
      else expect(FORWARD_CASES.get(op)?.length ?? 0, `forward case for ${op.onnx}`).toBeGreaterThan(0);
    }
  });
  it('lists each op once', () => expect(new Set(ALL_OPS).size).toBe(ALL_OPS.length));
});

describe('gradients match central finite differences', () => {
  for (const [op, cases] of GRAD_CASES) {
    for (const c of cases) {
      it(`${op.onnx}: ${c.name} (${c.dtype})`, async () => {
        const r = await gradcheck(c);
        expect(r.failures).toEqual([]);
        expect(r.checks).toBeGreaterThan(0);
      });
    }
  }
});

describe('non-differentiable ops: hand-computed forward values', () => {
  for (const [op, cases] of FORWARD_CASES) {
    for (const c of cases) {
      it(`${op.onnx}: ${c.name}`, async () => {
        const y = await runForward({ name: c.name, inputs: c.inputs, build: c.build });
        expect(y.dims).toEqual(c.dims);
        expect(Array.from(y.data as ArrayLike<number | bigint | boolean>, Number)).toEqual(c.expected);
      });
    }
  }
});
