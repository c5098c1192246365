import { describe, expect, it } from 'vitest';
import { l2rEpochs, MAX_L2R_STEPS } from './l2r-schedule';

describe('l2rEpochs', () => {
  it('keeps every epoch while they fit the budget', () => {
    expect(l2rEpochs(300, 3, 900)).toBe(3); // 1,200 documents, batch 4: exactly the budget
    expect(l2rEpochs(63, 3, 900)).toBe(3);
  });

  it('starts only the epochs the budget reaches into', () => {
    expect(l2rEpochs(375, 3, 900)).toBe(3); // 1,125 steps: the third stops at step 900
    expect(l2rEpochs(450, 3, 900)).toBe(2);
    expect(l2rEpochs(825, 3, 900)).toBe(2); // EURLEX57K-45,000: one epoch and 75 steps
    expect(l2rEpochs(5000, 3, 900)).toBe(1);
  });

  it('runs nothing when there is nothing to run', () => {
    expect(l2rEpochs(0, 3)).toBe(0);
    expect(l2rEpochs(300, 0)).toBe(0);
    expect(MAX_L2R_STEPS).toBe(900);
  });
});
