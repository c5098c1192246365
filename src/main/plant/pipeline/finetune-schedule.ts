/** One training job of fine-tuning: a warm-up with encoder and U frozen, or an epoch of everything. */
export interface ScheduledEpoch {
  phase: 'frozen' | 'open';
  /** Epochs the phase's job has run once this one is done (jobs resume from their checkpoint). */
  phaseEpoch: number;
  /** Step cap of a warm-up shorter than an epoch. */
  maxSteps?: number;
}

/** Most of the step budget a frozen warm-up may take; the rest goes to training everything. */
export const FROZEN_SHARE = 0.1;

/**
 * Fine-tuning's epochs under the step budget. Small corpora get `epochs` (or as many as
 * `maxSteps` allows), the first `frozenEpochs` of them frozen. When whole frozen epochs would take
 * more than FROZEN_SHARE of the budget (large corpora: 45,000 EURLEX57K documents are 1,613 steps
 * an epoch against 3,000), the warm-up is cut to that share and every budgeted epoch trains
 * everything; otherwise a 2-epoch budget would spend half its steps with the encoder frozen.
 */
export function finetuneSchedule(o: { stepsPerEpoch: number; epochs: number; frozenEpochs: number; maxSteps: number }): ScheduledEpoch[] {
  const total = Math.max(1, Math.min(o.epochs, Math.ceil(o.maxSteps / o.stepsPerEpoch)));
  const warmUpSteps = Math.ceil(FROZEN_SHARE * o.maxSteps);
  const open = (n: number): ScheduledEpoch[] => Array.from({ length: n }, (_, i) => ({ phase: 'open', phaseEpoch: i + 1 }));
  if (o.frozenEpochs > 0 && o.frozenEpochs * o.stepsPerEpoch > warmUpSteps) {
    return [{ phase: 'frozen', phaseEpoch: 1, maxSteps: warmUpSteps }, ...open(total)];
  }
  const frozen = Math.min(o.frozenEpochs, total - 1);
  return [...Array.from({ length: frozen }, (_, i): ScheduledEpoch => ({ phase: 'frozen', phaseEpoch: i + 1 })), ...open(total - frozen)];
}
