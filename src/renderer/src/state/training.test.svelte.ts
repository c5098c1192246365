import { describe, expect, it } from 'vitest';
import type { EvalReport, JobProgress, ModelInfo, PlantSettings } from '../../../shared/contract';
import { FakeApi, settle } from '../testing/fake-api';
import { stageOf, TrainingState } from './training.svelte';

const SETTINGS = {} as PlantSettings;
function model(id: number, p5: number, current: boolean): ModelInfo {
  const metrics = { 'p@5': p5, macro_f1: p5 / 2 } as unknown as EvalReport;
  return { id, createdAt: 'now', kind: 'plant', mode: 'full', serves: 'fused', parentId: null, labels: 10, vocabulary: 100, trainDocuments: 50, settings: SETTINGS, metrics, stageTimings: [], components: {}, calibration: null, current, gate: null };
}
const progress = (phase: string, done: number, metrics?: Record<string, number>): JobProgress => ({ jobId: 'job-1', projectId: 'p', kind: 'retrain', phase, done, total: 10, unit: 'step', ...(metrics ? { metrics } : {}) });

describe('TrainingState', () => {
  it('follows its job: stages, curve points, and the metric change when the new model arrives', async () => {
    let models = [model(1, 0.3, true)];
    const api = new FakeApi()
      .handle('training.runs', () => ({ runs: [] }))
      .handle('models.list', () => ({ models }))
      .handle('jobs.list', () => ({ jobs: [] }))
      .handle('training.start', () => ({ jobId: 'job-1' }));
    const changes: unknown[] = [];
    const t = new TrainingState(api, (c) => changes.push(c));
    const off = t.listen();
    await t.load('p');
    expect(t.current?.id).toBe(1);
    await t.start('retrain');
    expect(t.running).toBe(true);
    expect(api.callsOf('training.start')[0]).toEqual({ projectId: 'p', mode: 'retrain' });
    api.emit('jobs.progress', progress('mig', 1));
    api.emit('jobs.progress', progress('finetune', 2, { loss: 0.9 }));
    api.emit('jobs.progress', progress('finetune', 3, { loss: 0.7, 'p@5': 0.31 }));
    api.emit('jobs.progress', { ...progress('finetune', 4), projectId: 'other' });
    expect(t.stagesSeen.map((s) => s.stage)).toEqual(['mig', 'finetune']);
    expect(t.points.map((p) => [p.loss, p.metric, p.metricName])).toEqual([
      [0.9, null, null],
      [0.7, 0.31, 'p@5'],
    ]);
    expect(t.progress?.done).toBe(3);
    models = [{ ...model(1, 0.3, false) }, model(2, 0.42, true)];
    api.emit('jobs.finished', { jobId: 'job-1', projectId: 'p', kind: 'retrain', outcome: 'done', durationMs: 1000 });
    await settle();
    expect(t.running).toBe(false);
    expect(t.current?.id).toBe(2);
    expect(changes).toEqual([{ modelId: 2, before: models[0]!.metrics, after: models[1]!.metrics, becameCurrent: true, reason: null }]);
    off();
  });

  it("reports the run's own model when it was kept without becoming current, with the reason (issue #14)", async () => {
    const reason = 'P@5 on the tuning half 30.0 % is below 42.0 % of model #2, which stays current';
    let models = [model(2, 0.42, true)];
    const api = new FakeApi()
      .handle('training.runs', () => ({ runs: [] }))
      .handle('models.list', () => ({ models }))
      .handle('jobs.list', () => ({ jobs: [] }))
      .handle('training.start', () => ({ jobId: 'job-1' }));
    const changes: unknown[] = [];
    const t = new TrainingState(api, (c) => changes.push(c));
    const off = t.listen();
    await t.load('p');
    await t.start('retrain');
    const gate = { becameCurrent: false, metric: 'p@5' as const, score: 0.3, baseline: 0.42, baselineModelId: 2, reason };
    models = [{ ...model(3, 0.3, false), gate }, model(2, 0.42, true)];
    api.emit('jobs.finished', { jobId: 'job-1', projectId: 'p', kind: 'retrain', outcome: 'done', durationMs: 1000, result: { modelId: 3, runId: 4, seconds: 1, metrics: null, replanted: 0, stageTimings: [], serves: 'fused', earlyModelId: null, earlySeconds: null, becameCurrent: false, gate, earlyGate: null, currentModelId: 2 } });
    await settle();
    expect(t.current?.id).toBe(2);
    expect(changes).toEqual([{ modelId: 3, before: models[1]!.metrics, after: models[0]!.metrics, becameCurrent: false, reason }]);
    off();
  });

  it('adopts a training started elsewhere, and says when the build has no training service', async () => {
    const api = new FakeApi();
    const t = new TrainingState(api);
    const off = t.listen();
    await t.load('p');
    expect(t.available).toBe(false);
    api.emit('jobs.progress', { ...progress('l2r epoch 1', 1), kind: 'train', jobId: 'job-x' });
    expect(t.jobId).toBe('job-x');
    expect(t.mode).toBe('full');
    off();
  });

  it('maps progress phases onto the PLANT stages', () => {
    expect(['pretrain', 'mig grades', 'l2r', 'plant', 'finetune epoch 2', 'evaluate', 'other'].map(stageOf)).toEqual(['pretrain', 'mig', 'l2r', 'plant', 'finetune', 'evaluate', null]);
  });
});
