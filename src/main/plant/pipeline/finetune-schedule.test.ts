import { describe, expect, it } from 'vitest';
import { finetuneSchedule } from './finetune-schedule';

const phases = (s: ReturnType<typeof finetuneSchedule>): string => s.map((e) => (e.phase === 'frozen' ? (e.maxSteps ? `w${e.maxSteps}` : 'f') : 'o')).join('');

describe('finetuneSchedule', () => {
  it('gives a small corpus its epochs, the first frozen (CodiEsp: 16 steps an epoch)', () => {
    const s = finetuneSchedule({ stepsPerEpoch: 16, epochs: 20, frozenEpochs: 1, maxSteps: 3000 });
    expect(phases(s)).toBe(`f${'o'.repeat(19)}`);
    expect(s[1]).toEqual({ phase: 'open', phaseEpoch: 1 });
    expect(s[19]).toEqual({ phase: 'open', phaseEpoch: 19 });
  });

  it('caps epochs by the step budget, rounding up (5,000 documents: 190 steps an epoch)', () => {
    // ceil(3000 / 190) = 16 epochs; one frozen epoch (190 steps) is within 10% of 3,000.
    expect(phases(finetuneSchedule({ stepsPerEpoch: 190, epochs: 20, frozenEpochs: 1, maxSteps: 3000 }))).toBe(`f${'o'.repeat(15)}`);
  });

  it('cuts the frozen warm-up to a tenth of the budget when an epoch is larger (45,000 documents)', () => {
    const s = finetuneSchedule({ stepsPerEpoch: 1613, epochs: 20, frozenEpochs: 1, maxSteps: 3000 });
    // ceil(3000 / 1613) = 2 epochs, both training everything, after 300 frozen steps.
    expect(s).toEqual([
      { phase: 'frozen', phaseEpoch: 1, maxSteps: 300 },
      { phase: 'open', phaseEpoch: 1 },
      { phase: 'open', phaseEpoch: 2 },
    ]);
  });

  it('warms up even when the budget is under one epoch', () => {
    expect(phases(finetuneSchedule({ stepsPerEpoch: 5000, epochs: 20, frozenEpochs: 1, maxSteps: 3000 }))).toBe('w300o');
  });

  it('never freezes every epoch, and freezes none when asked', () => {
    expect(phases(finetuneSchedule({ stepsPerEpoch: 10, epochs: 1, frozenEpochs: 1, maxSteps: 3000 }))).toBe('o');
    expect(phases(finetuneSchedule({ stepsPerEpoch: 10, epochs: 3, frozenEpochs: 5, maxSteps: 3000 }))).toBe('ffo');
    expect(phases(finetuneSchedule({ stepsPerEpoch: 2000, epochs: 4, frozenEpochs: 0, maxSteps: 3000 }))).toBe('oo');
  });
});
