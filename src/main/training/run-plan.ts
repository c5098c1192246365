import type { PlantSettings } from '../../shared/contract';
import { finetuneSchedule } from '../plant/pipeline/finetune-schedule';
import { l2rEpochs, MAX_L2R_STEPS } from '../plant/pipeline/l2r-schedule';
import { L2R_BATCH, MAX_L2R_DOCS, MAX_PRETRAIN_WINDOWS_PER_EPOCH, MIN_L2R_DOCS } from '../plant/pipeline/model-config';
import { RETRAIN_EPOCHS } from '../plant/pipeline/retrain';

/** Below this many training documents one-vs-rest is cheap enough for the first model (no tree, no "exact" stage). */
export const EXACT_PLAN_MIN_TRAIN = 10_000;

/** Document counts a run's step budget depends on (read from the project before it starts). */
export interface CorpusCounts {
  train: number;
  /** Unlabelled pool documents (pretraining text; capped like load-corpus.ts). */
  unlabelled: number;
  dev: number;
}

/**
 * One stage of a run as planned before it starts: its training steps (0 for stages that do not
 * step) and its cost in "units", one unit being a training step over `batchSize × maxLen`
 * tokens. Units only weigh stages against each other; seconds come from measurement.
 */
export interface PlannedStage {
  stage: string;
  steps: number;
  units: number;
}

/**
 * The stages a training will run, in order, with their step budgets: the same schedules the
 * pipeline uses (finetune-schedule.ts, l2r-schedule.ts), on the document counts of the project.
 * Stages without steps get a cost from the documents they read, a rough weight refined as the
 * run measures them (run-progress.ts).
 */
export function planRun(mode: 'full' | 'retrain', s: PlantSettings, n: CorpusCounts): PlannedStage[] {
  const tokensPerStep = s.batchSize * s.maxLen;
  const forward = (docs: number, share: number): number => (share * docs) / s.batchSize;
  const finetuneSteps = (epochs: number, frozenEpochs: number): number => {
    const stepsPerEpoch = Math.max(1, Math.ceil(n.train / s.batchSize));
    return finetuneSchedule({ stepsPerEpoch, epochs, frozenEpochs, maxSteps: s.maxFinetuneSteps }).reduce((sum, e) => sum + Math.min(stepsPerEpoch, e.maxSteps ?? Infinity), 0);
  };
  const l2rStepCost = (L2R_BATCH.batchSize * L2R_BATCH.maxLen) / tokensPerStep;
  const stages: PlannedStage[] = [{ stage: 'tokenize', steps: 0, units: forward(n.train + n.unlabelled + n.dev, 0.05) }];
  const lexical = s.lexical.enabled;
  if (lexical) stages.push({ stage: 'lexical', steps: 0, units: forward(n.train / 2 + n.dev, 1) }, { stage: 'fusion', steps: 0, units: forward(n.dev, 0.05) });
  // Exact one-vs-rest after the tree's first model (lexical-stage.ts, exactLexicalStage): planned
  // where the tree is likely (labels × non-zeros is known only after the features); a run that
  // skips it counts it done. Its cost: ~12× the tree's solver work at EURLEX57K-45,000.
  if (lexical && mode === 'full' && s.lexical.structure === 'auto' && s.lexical.exactWorkLimit > 0 && n.train >= EXACT_PLAN_MIN_TRAIN) stages.push({ stage: 'exact', steps: 0, units: forward(n.train, 2) }, { stage: 'fusion', steps: 0, units: forward(n.dev, 0.05) });
  // The training documents' hard negatives, searched after the lexical model serves (lexical-stage.ts).
  if (lexical && s.lexical.hardNegatives > 0) stages.push({ stage: 'shortlist', steps: 0, units: forward(n.train, 0.5) });
  if (mode === 'full') {
    if (s.pretrain && s.epochs.pretrain > 0) {
      const steps = Math.ceil(Math.min(n.train + n.unlabelled, MAX_PRETRAIN_WINDOWS_PER_EPOCH) / s.batchSize) * s.epochs.pretrain;
      stages.push({ stage: 'pretrain', steps, units: steps });
    }
    if (s.plant) {
      stages.push({ stage: 'mig', steps: 0, units: forward(n.train, 0.2) });
      if (s.epochs.l2r > 0) {
        // l2r-stage.ts: a covering sample of the training documents, padded from the pool to the floor.
        const perEpoch = Math.ceil(Math.min(Math.max(n.train, MIN_L2R_DOCS), MAX_L2R_DOCS, n.train + n.unlabelled) / L2R_BATCH.batchSize);
        const steps = Math.min(perEpoch * l2rEpochs(perEpoch, s.epochs.l2r), MAX_L2R_STEPS);
        stages.push({ stage: 'l2r', steps, units: steps * l2rStepCost });
      }
    }
    stages.push({ stage: 'plant', steps: 0, units: 0 });
    const steps = finetuneSteps(s.epochs.finetune, s.frozenEpochs);
    stages.push({ stage: 'finetune', steps, units: steps });
  } else {
    // The few-shot loop: a short L2R refresh only when labels got their first examples.
    const steps = finetuneSteps(Math.min(s.epochs.finetune, RETRAIN_EPOCHS.finetune), 0);
    stages.push({ stage: 'finetune', steps, units: steps });
  }
  stages.push({ stage: 'evaluate', steps: 0, units: forward(n.dev, 0.5) });
  if (lexical) stages.push({ stage: 'fusion', steps: 0, units: forward(n.dev, 0.5) });
  return stages;
}

/** Training steps of a plan, all stages together. */
export const planSteps = (plan: readonly PlannedStage[]): number => plan.reduce((a, p) => a + p.steps, 0);

/**
 * Seconds each planned stage should take, from the stage timings of an earlier run of the
 * project (the k-th `fusion` of the plan matched with the k-th of the timings), scaled by the
 * ratio of the two plans' units: the earlier run's own plan is `before`. Null for stages the
 * earlier run did not have.
 */
export function priorSeconds(plan: readonly PlannedStage[], before: readonly PlannedStage[], timings: readonly { stage: string; seconds: number }[]): (number | null)[] {
  const nth = (list: readonly { stage: string }[], i: number): number => list.slice(0, i).filter((x) => x.stage === list[i]!.stage).length;
  const find = <T extends { stage: string }>(list: readonly T[], stage: string, k: number): T | undefined => list.filter((x) => x.stage === stage)[k];
  return plan.map((p, i) => {
    const k = nth(plan, i);
    const t = find(timings, p.stage, k);
    if (!t) return null;
    const old = find(before, p.stage, k);
    return old && old.units > 0 ? t.seconds * (p.units / old.units) : t.seconds;
  });
}

/** Seconds a whole run should take from per-stage priors; null when any stage has none. */
export function estimateSeconds(priors: readonly (number | null)[]): number | null {
  return priors.every((p) => p !== null) ? priors.reduce<number>((a, p) => a + p!, 0) : null;
}
