import { describe, expect, it } from 'vitest';
import { l2rEpochs } from './l2r-schedule';

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

  it('starts an epoch only inside the budget, and leaves none out while budget remains', () => {
    for (const maxSteps of [1, 7, 900]) {
      for (let stepsPerEpoch = 1; stepsPerEpoch <= 1000; stepsPerEpoch += 7) {
        for (let epochs = 1; epochs <= 5; epochs++) {
          const started = l2rEpochs(stepsPerEpoch, epochs, maxSteps);
          const at = `${stepsPerEpoch} steps × ${epochs} epochs, budget ${maxSteps}: ${started}`;
          expect(started >= 1 && started <= epochs, at).toBe(true);
          // The first epoch always runs; every later one starts before the budget is spent.
          expect(started === 1 || (started - 1) * stepsPerEpoch < maxSteps, at).toBe(true);
          expect(started === epochs || started * stepsPerEpoch >= maxSteps, at).toBe(true);
        }
      }
    }
  });

  it('never gives a larger corpus more epochs than a smaller one', () => {
    for (let stepsPerEpoch = 1; stepsPerEpoch < 2000; stepsPerEpoch++) {
      expect(l2rEpochs(stepsPerEpoch + 1, 3)).toBeLessThanOrEqual(l2rEpochs(stepsPerEpoch, 3));
    }
  });

  it('keeps three epochs for up to 1,200 documents at batch 4 under the default budget, fewer beyond', () => {
    expect(l2rEpochs(300, 3)).toBe(3);
    expect(l2rEpochs(825, 3)).toBe(2);
    expect(l2rEpochs(5000, 3)).toBe(1);
  });

  it('runs nothing when there is nothing to run', () => {
    expect(l2rEpochs(0, 3)).toBe(0);
    expect(l2rEpochs(300, 0)).toBe(0);
  });
});
