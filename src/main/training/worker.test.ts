// The training worker as the app ships it: ./worker.ts started in a worker thread (under tsx, its
// own `?nodeWorker` import of the lexical workers resolved like the build does), driven by the
// same runner and handler the app uses. Nothing here trains in the test's own thread.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../app/dispatch';
import type { JobProgress } from '../../shared/contract';
import { syntheticCorpus, TEST_SETTINGS } from '../plant/pipeline/testing/synthetic';
import { tempServices } from '../testing/temp-services';
import { spawnTsxWorker } from '../testing/tsx-worker';
import { startTrainingRun, TrainingRunError } from './training-runner';

const cli = { transport: 'cli', trusted: true } as const;
const SETTINGS = { ...TEST_SETTINGS, epochs: { pretrain: 1, l2r: 1, finetune: 2 } };

/** The stages of a full run with the ranker, in order (run-plan.ts). */
const STAGE_ORDER = ['tokenize', 'lexical', 'fusion', 'shortlist', 'pretrain', 'mig', 'l2r', 'plant', 'finetune', 'evaluate', 'fusion'];
const isSubsequence = (seen: readonly string[], order: readonly string[]): boolean => {
  let at = 0;
  for (const s of seen) {
    while (at < order.length && order[at] !== s) at++;
    if (at++ === order.length) return false;
  }
  return true;
};

/** Every worker this suite started, to check that none outlives its run. */
const started: { worker: Worker; exited: Promise<number> }[] = [];
const spawnShippedWorker = (): Worker => {
  const worker = spawnTsxWorker(new URL('./worker.ts', import.meta.url));
  started.push({ worker, exited: new Promise((resolve) => worker.once('exit', resolve)) });
  return worker;
};

describe('the shipped training worker', () => {
  let env: ReturnType<typeof tempServices>;
  const projectId = 'worker';

  beforeAll(async () => {
    env = tempServices();
    env.services.context.spawnTrainingWorker = spawnShippedWorker;
    const h = env.services.handlers;
    await call(h, 'projects.create', { id: projectId, name: 'Worker' }, cli);
    const corpus = syntheticCorpus({ labels: 4, train: 48, dev: 24, unlabelled: 8, seed: 3 });
    const rows = [
      ...corpus.train.map((d, i) => ({ id: `t${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'train' })),
      ...[...corpus.tuning, ...corpus.evaluation].map((d, i) => ({ id: `d${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'dev' })),
      ...corpus.unlabelled.map((t, i) => ({ id: `p${i}`, text: t, labels: [], split: 'pool' })),
    ];
    const file = join(env.dataDir, 'corpus.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const { jobId } = await call(h, 'imports.corpus', { projectId, source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
    expect((await env.services.jobs.wait(jobId)).outcome).toBe('done');
  });
  afterAll(async () => env.cleanup());

  it('trains in the worker: progress in order, the early lexical model, then the stored model', async () => {
    const h = env.services.handlers;
    const progress: JobProgress[] = [];
    const off = env.services.events.on((e, p) => {
      if (e === 'jobs.progress') progress.push(p as JobProgress);
    });
    const before = started.length;
    const { jobId } = await call(h, 'training.start', { projectId, mode: 'full', settings: SETTINGS }, cli);
    const finished = await env.services.jobs.wait(jobId);
    off();
    expect(finished.outcome, JSON.stringify(finished.error)).toBe('done');
    expect(started.length).toBe(before + 1);
    // Progress came from the worker in the plan's order (throttled to 10/s, so a quick stage may be
    // skipped), the whole run's share never going back.
    const phases = progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases[0]).toBe('tokenize');
    expect(isSubsequence(phases, STAGE_ORDER)).toBe(true);
    const overall = progress.map((p) => p.overall?.fraction ?? 0);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    const result = finished.kind === 'train' ? finished.result : undefined;
    if (!result) throw new Error('a finished training has a result');
    // The lexical ranker's model (posted by the worker mid-run) was recorded before the final one.
    expect(result.earlyModelId).not.toBeNull();
    expect(result.modelId).toBeGreaterThan(result.earlyModelId!);
    const { models } = await call(h, 'models.list', { projectId }, cli);
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining([result.earlyModelId, result.modelId]));
    const { runs } = await call(h, 'training.runs', { projectId }, cli);
    expect(runs[0]).toMatchObject({ id: result.runId, outcome: 'done', modelId: result.modelId });
    // The worker is gone once the run is over.
    expect(await started.at(-1)!.exited).toBeTypeOf('number');
  });

  it('cancelling stops the worker and records the run as cancelled', async () => {
    const h = env.services.handlers;
    const off = env.services.events.on((e, p) => {
      if (e === 'jobs.progress' && (p as JobProgress).jobId === jobId) void call(h, 'jobs.cancel', { jobId }, cli);
    });
    const { jobId } = await call(h, 'training.start', { projectId, mode: 'full', settings: { ...SETTINGS, seed: 99 } }, cli);
    const finished = await env.services.jobs.wait(jobId);
    off();
    expect(finished.outcome).toBe('cancelled');
    expect((await call(h, 'training.runs', { projectId }, cli)).runs[0]).toMatchObject({ outcome: 'cancelled' });
    expect(await started.at(-1)!.exited).toBeTypeOf('number');
  });

  it('the runner hears every message of the worker: each stage in order, the early model before the result', async () => {
    const store = env.services.projects.get(projectId);
    const heard: string[] = [];
    const handle = startTrainingRun(
      { mode: 'full', settings: { ...SETTINGS, seed: 7 }, dbFile: store.dbFile, modelsDir: join(env.dataDir, 'direct'), modelName: 'direct', workDir: join(env.dataDir, 'direct-work') },
      (p) => {
        if (heard.at(-1) !== `stage ${p.stage}`) heard.push(`stage ${p.stage}`);
      },
      spawnShippedWorker,
      { onModel: (early) => void heard.push(`model ${early.serves}`) },
    );
    const out = await handle.result;
    heard.push('result');
    const stages = heard.filter((h) => h.startsWith('stage ')).map((h) => h.slice(6));
    expect(stages).toEqual(STAGE_ORDER);
    expect(heard.indexOf('model lexical')).toBeGreaterThan(heard.indexOf('stage lexical'));
    // the early model is handed over before the hard negatives of the training documents are searched
    expect(heard.indexOf('model lexical')).toBeLessThan(heard.indexOf('stage shortlist'));
    expect(heard.filter((h) => h.startsWith('model '))).toEqual(['model lexical']);
    expect(heard.at(-1)).toBe('result');
    expect(out.serves).toBe('fused');
    expect(existsSync(out.modelDir)).toBe(true);
    expect(out.labelIds).toHaveLength(4);
    expect(await started.at(-1)!.exited).toBeTypeOf('number');
  });

  it("an error inside the worker rejects the run with the error's message and class", async () => {
    const missing = join(env.dataDir, 'no-such-project', 'planter.db');
    const handle = startTrainingRun(
      { mode: 'full', settings: SETTINGS, dbFile: missing, modelsDir: join(env.dataDir, 'models'), modelName: 'never', workDir: join(env.dataDir, 'work') },
      () => undefined,
      spawnShippedWorker,
    );
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingRunError);
    expect((error as TrainingRunError).message).toMatch(/directory does not exist|unable to open/i);
    expect((error as TrainingRunError).kind).not.toBe('WorkerError');
    expect(existsSync(join(env.dataDir, 'models', 'never'))).toBe(false);
    expect(await started.at(-1)!.exited).toBeTypeOf('number');
  });
});
