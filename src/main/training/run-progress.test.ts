import { describe, expect, it } from 'vitest';
import { PlantSettings } from '../../shared/contract';
import type { PipelineProgress } from '../plant/pipeline/progress';
import { estimateSeconds, planRun, planSteps, priorSeconds, type PlannedStage } from './run-plan';
import { RunProgress } from './run-progress';

const step = (stage: PipelineProgress['stage'], done: number, total: number, extra: Partial<PipelineProgress> = {}): PipelineProgress => ({ stage, done, total, unit: 'step', ...extra });

describe('RunProgress', () => {
  const plan: PlannedStage[] = [
    { stage: 'tokenize', steps: 0, units: 1 },
    { stage: 'l2r', steps: 10, units: 4 },
    { stage: 'finetune', steps: 20, units: 20 },
  ];

  it("keeps a stage's bar where it was when a report would move it back or counts another unit", () => {
    const run = new RunProgress(plan);
    run.update(step('tokenize', 0, 0), 0);
    expect(run.update(step('l2r', 8, 10), 100).stage).toEqual({ done: 8, total: 10, unit: 'step' });
    // an old-style report whose total grew (88 % → 69 %) does not move the bar back
    expect(run.update(step('l2r', 9, 13), 200).stage).toEqual({ done: 8, total: 10, unit: 'step' });
    // an epoch-unit report (it carries the dev metric) keeps the step bar
    expect(run.update({ stage: 'l2r', done: 1, total: 2, unit: 'epoch', metric: 0.5, metricName: 'ndcg@10' }, 300).stage).toEqual({ done: 8, total: 10, unit: 'step' });
    expect(run.update(step('l2r', 10, 10), 400).stage.done).toBe(10);
  });

  it('weighs stages by the priors, refines the running one from its ETA, and never goes back', () => {
    // priors: tokenize 10 s, l2r 20 s, finetune 70 s (100 s in all)
    const run = new RunProgress(plan, [10, 20, 70]);
    expect(run.update(step('tokenize', 0, 0), 0).overall).toEqual({ fraction: 0, etaMs: 100_000 });
    // tokenize took 10 s; l2r half done after 10 s more with 10 s left: 20 s of 100 s done, 80 s left
    run.update(step('l2r', 0, 10), 10_000);
    const mid = run.update(step('l2r', 5, 10, { etaMs: 10_000 }), 20_000).overall;
    expect(mid.fraction).toBeCloseTo(0.2, 6);
    expect(mid.etaMs).toBeCloseTo(80_000, 6);
    // l2r turns out slower (40 s more, 50 s in all): the ETA rises; half of l2r is 25 s of 130 s
    const slower = run.update(step('l2r', 5, 10, { etaMs: 40_000 }), 20_000).overall;
    expect(slower.fraction).toBeCloseTo(35 / 130, 6);
    expect(slower.etaMs).toBeCloseTo(110_000, 6);
    // a skipped stage counts as done when a later one starts; 99 % at most until the job ends
    const end = run.update(step('finetune', 20, 20), 90_000).overall;
    expect(end.fraction).toBe(0.99);
  });

  it('without priors: no ETA until a stage with units finished, then its seconds per unit', () => {
    const run = new RunProgress(plan);
    expect(run.update(step('tokenize', 0, 0), 0).overall.etaMs).toBeUndefined();
    // tokenize: 1 unit in 2 s → l2r's 4 units ≈ 8 s, finetune's 20 ≈ 40 s
    const o = run.update(step('l2r', 0, 10), 2000).overall;
    expect(o.etaMs).toBeCloseTo(48_000, 6);
    expect(o.fraction).toBeCloseTo(2 / 50, 6);
  });
});

describe('planRun', () => {
  const s = PlantSettings.parse({ batchSize: 16, epochs: { pretrain: 1, l2r: 2, finetune: 4 }, frozenEpochs: 1 });

  it('lists the stages the pipeline runs, with the schedules it uses', () => {
    const plan = planRun('full', s, { train: 160, unlabelled: 40, dev: 80 });
    expect(plan.map((p) => p.stage)).toEqual(['tokenize', 'lexical', 'fusion', 'shortlist', 'pretrain', 'mig', 'l2r', 'plant', 'finetune', 'evaluate', 'fusion']);
    const steps = Object.fromEntries(plan.filter((p) => p.steps > 0).map((p) => [p.stage, p.steps]));
    // pretrain: 200 documents / 16 = 13 steps; l2r: all 200 documents (below the 1,200 floor) / 4 =
    // 50 an epoch, 2 epochs; fine-tune: 10 steps an epoch × 4 epochs
    expect(steps).toEqual({ pretrain: 13, l2r: 100, finetune: 40 });
    expect(planSteps(plan)).toBe(153);
  });

  it('plans the exact one-vs-rest stage (and its fusion) after the first lexical model only where a label tree is likely, never in the few-shot loop', () => {
    const large = planRun('full', s, { train: 45_000, unlabelled: 0, dev: 6_000 }).map((p) => p.stage);
    expect(large.slice(0, 6)).toEqual(['tokenize', 'lexical', 'fusion', 'exact', 'fusion', 'shortlist']);
    expect(planRun('full', s, { train: 9_999, unlabelled: 0, dev: 100 }).map((p) => p.stage)).not.toContain('exact');
    expect(planRun('retrain', s, { train: 45_000, unlabelled: 0, dev: 6_000 }).map((p) => p.stage)).not.toContain('exact');
    const off = PlantSettings.parse({ ...s, lexical: { exactWorkLimit: 0 } });
    expect(planRun('full', off, { train: 45_000, unlabelled: 0, dev: 6_000 }).map((p) => p.stage)).not.toContain('exact');
    const tree = PlantSettings.parse({ ...s, lexical: { structure: 'tree' } });
    expect(planRun('full', tree, { train: 45_000, unlabelled: 0, dev: 6_000 }).map((p) => p.stage)).not.toContain('exact');
  });

  it('scales an earlier run of the project by the step budgets, and estimates only when every stage has a prior', () => {
    const before = planRun('full', s, { train: 160, unlabelled: 40, dev: 80 });
    const twice = planRun('full', PlantSettings.parse({ ...s, epochs: { ...s.epochs, finetune: 8 } }), { train: 160, unlabelled: 40, dev: 80 });
    const timings = before.map((p) => ({ stage: p.stage, seconds: p.stage === 'finetune' ? 30 : 1 }));
    const priors = priorSeconds(twice, before, timings);
    expect(priors[twice.findIndex((p) => p.stage === 'finetune')]).toBeCloseTo(60, 6);
    expect(estimateSeconds(priors)).toBeCloseTo(60 + 10, 6);
    expect(estimateSeconds(priorSeconds(twice, before, timings.slice(0, 3)))).toBeNull();
  });
});
