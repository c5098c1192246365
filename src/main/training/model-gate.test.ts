import { describe, expect, it } from 'vitest';
import { gateDecision } from './model-gate';

describe('gateDecision', () => {
  it("makes a project's first model current, whatever it scores", () => {
    expect(gateDecision({ metric: 'p@5', score: 0.1, baseline: null, baselineModelId: null })).toMatchObject({ becameCurrent: true, reason: null });
  });
  it('makes a model no worse than the current one current, ties included', () => {
    expect(gateDecision({ metric: 'p@5', score: 0.4, baseline: 0.4, baselineModelId: 3 }).becameCurrent).toBe(true);
    expect(gateDecision({ metric: 'p@5', score: 0.41, baseline: 0.4, baselineModelId: 3 }).becameCurrent).toBe(true);
  });
  it('keeps a worse one and says why, in percent as the UI writes metrics', () => {
    expect(gateDecision({ metric: 'macro_f1', score: 0.103, baseline: 0.118, baselineModelId: 3 })).toEqual({
      becameCurrent: false,
      metric: 'macro_f1',
      score: 0.103,
      baseline: 0.118,
      baselineModelId: 3,
      reason: 'macro-F1 on the tuning half 10.3 % is below 11.8 % of model #3, which stays current',
    });
  });
  it('without a tuning half there is nothing to compare on: current, and it says so', () => {
    expect(gateDecision({ metric: 'p@5', score: null, baseline: null, baselineModelId: 3 })).toMatchObject({ becameCurrent: true, reason: expect.stringContaining('no tuning half') });
  });
});
