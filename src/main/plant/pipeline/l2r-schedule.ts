/**
 * Stage B's step budget. Learning-to-rank is a prior for fine-tuning, and more of it is not
 * better: at EURLEX57K-45,000, one epoch of the covering sample (825 steps) beat three (2,475)
 * on every overall column after fine-tuning (P@5 51.5 vs 48.2, micro-F1 55.4 vs 54.1) with the
 * few-shot columns level (nDCG@5 30.9 vs 29.3, macro-AUC 0.881 vs 0.889). 900 is what three
 * epochs of 1,200 documents take, so corpora up to that size keep the schedule they had.
 */
export const MAX_L2R_STEPS = 900;

/** How many epochs Stage B starts: `epochs`, or fewer when the budget runs out sooner (the last one may stop inside). */
export function l2rEpochs(stepsPerEpoch: number, epochs: number, maxSteps = MAX_L2R_STEPS): number {
  if (stepsPerEpoch <= 0 || epochs <= 0) return 0;
  return Math.min(epochs, Math.max(1, Math.ceil(maxSteps / stepsPerEpoch)));
}
