import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Output } from '../../shared/contract';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { keyToken, syntheticCorpus, TEST_SETTINGS } from '../plant/pipeline/testing/synthetic';
import { tempServices } from '../testing/temp-services';
import { performStoreWork, runStoreWork } from '../jobs/store-work';
import type { ScoredDoc } from '../jobs/pool-scoring';
import { ModelsRepo } from '../store/models-repo';
import { QueueRepo } from '../store/queue-repo';
import { spawnTsxWorker } from '../testing/tsx-worker';
import { cosine, uncertainty } from './queue-model';

const cli: CallContext = { transport: 'cli', trusted: true };
const http: CallContext = { transport: 'http', trusted: false };
const RARE = 5;

describe('uncertainty and cosine', () => {
  it('a label scored at the threshold is the least certain; far from it, certain', () => {
    const atThreshold = uncertainty(Float32Array.of(0.3, 0.01, 0.99), 0.3);
    expect(atThreshold.label).toBe(0);
    // The mean of the three largest entropies; one label alone contributes a third of its own.
    const alone = (x: number): number => uncertainty(Float32Array.of(x), 0.3).value;
    expect(alone(0.3)).toBeCloseTo(1 / 3, 5);
    expect(atThreshold.value).toBeCloseTo(alone(0.3) + alone(0.01) + alone(0.99), 5);
    expect(uncertainty(Float32Array.of(0.001, 0.999, 0.002), 0.3).value).toBeLessThan(0.1);
    expect(uncertainty(new Float32Array(3), 0.5)).toEqual({ value: 0, label: -1 });
  });

  it('with per-label thresholds, the label scored at its own threshold is the least certain', () => {
    // Label 1's score 0.1 is its threshold (a rare label's bucket); label 0's 0.3 is far below 0.8.
    const u = uncertainty(Float32Array.of(0.3, 0.1), Float64Array.of(0.8, 0.1));
    expect(u.label).toBe(1);
    expect(uncertainty(Float32Array.of(0.3, 0.1), 0.3).label).toBe(0);
  });

  it('cosine of score profiles', () => {
    expect(cosine(Float32Array.of(1, 0), Float32Array.of(2, 0))).toBeCloseTo(1);
    expect(cosine(Float32Array.of(1, 0), Float32Array.of(0, 1))).toBe(0);
    expect(cosine(new Float32Array(2), Float32Array.of(0, 1))).toBe(0);
  });
});

describe('queue orders with a trained model', () => {
  let env: ReturnType<typeof tempServices>;
  const projectId = 'qm';
  const poolText = new Map<number, string>();

  // The pool is scored in the store worker, as the app and `planter serve` do (the CLI and the worker test below score in this thread).
  const spawnStoreWorker = () => spawnTsxWorker(new URL('../jobs/store-worker.ts', import.meta.url));

  beforeAll(async () => {
    env = tempServices({ spawnStoreWorker });
    const h = env.services.handlers;
    await call(h, 'projects.create', { id: projectId, name: 'Queue + model' }, cli);
    const corpus = syntheticCorpus({ labels: 6, train: 120, dev: 40, unlabelled: 70, seed: 9 });
    // Label 5 keeps only three training examples (its signal token leaves the other documents):
    // a few-shot label the model still knows.
    let kept = 0;
    const train = corpus.train.map((d) => {
      if (!d.labels.includes(RARE) || kept++ < 3) return d;
      return { text: d.text.replaceAll(keyToken(RARE), 'fzzz'), labels: d.labels.filter((l) => l !== RARE) };
    });
    const rows = [
      ...train.map((d, i) => ({ id: `t${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'train' })),
      ...[...corpus.tuning, ...corpus.evaluation].map((d, i) => ({ id: `d${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'dev' })),
      ...corpus.unlabelled.map((t, i) => ({ id: `p${i}`, text: t, labels: [], split: 'pool' })),
    ];
    const file = join(env.dataDir, 'qm.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const imported = await call(h, 'imports.corpus', { projectId, source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
    expect((await env.services.jobs.wait(imported.jobId)).outcome).toBe('done');
    // the attention model alone: these cases are about the queue's use of a model's scores, not about which model serves
    const trained = await call(h, 'training.start', { projectId, mode: 'full', settings: { ...TEST_SETTINGS, lexical: { enabled: false } } }, http);
    expect((await env.services.jobs.wait(trained.jobId)).outcome).toBe('done');
    const pool = await call(h, 'queue.next', { projectId, strategy: 'sequential', limit: 500 }, http);
    for (const item of pool.items) poolText.set(item.docId, (await call(h, 'documents.get', { projectId, docId: item.docId }, http)).text);
  }, 300_000);

  /** The pool is scored once per model, in a background job; the tests after the first wait for it. */
  async function scored(): Promise<void> {
    const r = await next({ strategy: 'uncertainty' });
    if (r.scoring) await env.services.jobs.wait(r.scoring.jobId);
  }
  afterAll(async () => env.cleanup());

  const next = (input: Record<string, unknown>): Promise<Output<'queue.next'>> => call(env.services.handlers, 'queue.next', { projectId, limit: 100, ...input }, http);

  it('uncertainty waits for the model to score the pool (a background job), then ranks by it', async () => {
    const first = await next({ strategy: 'uncertainty' });
    expect(first.needsModel).toBe(false);
    expect(first.scoring).toMatchObject({ modelId: 1, total: 70 });
    expect(first.items).toEqual([]);
    expect(first.note).toMatch(/Model #1 is scoring 70 documents/);
    // Asked again while it scores: the answer says how far it is without reading the scope's ids.
    const ids = vi.spyOn(QueueRepo.prototype, 'idsInSlices');
    const again = await next({ strategy: 'uncertainty' });
    if (again.scoring) expect(ids).not.toHaveBeenCalled();
    ids.mockRestore();
    // Meanwhile rare-first serves its keyword order and says how far the scoring is (or, when the
    // job already ended, the model's order).
    const meanwhile = await next({ strategy: 'rare-first' });
    expect(meanwhile.items.length).toBeGreaterThan(0);
    if (meanwhile.scoring) {
      expect(meanwhile.modelId).toBeNull();
      expect(meanwhile.note).toMatch(/Model #1 is scoring 70 documents/);
    } else expect(meanwhile.modelId).toBe(1);
    const job = await env.services.jobs.wait(first.scoring!.jobId);
    expect(job).toMatchObject({ kind: 'predict', outcome: 'done' });
    const r = await next({ strategy: 'uncertainty' });
    expect(r.scoring).toBeNull();
    expect(r.modelId).toBe(1);
    expect(r.total).toBe(70);
    expect(r.items[0]!.reason).toMatch(/^L\d at 0\.\d\d \(threshold 0\.\d\d\)$/);
    expect(r.items.every((x, i) => i === 0 || x.score! <= r.items[i - 1]!.score!)).toBe(true);
  });

  it('the store worker summarises documents exactly as this thread does', async () => {
    const store = env.services.context.projects.get(projectId);
    const row = new ModelsRepo(store.db).get(1)!;
    const work = { kind: 'score' as const, dbFile: store.dbFile, modelDir: join(store.dir, row.path), docIds: [...poolText.keys()].slice(0, 20) };
    const here: ScoredDoc[] = [];
    await performStoreWork(store.db, work, { aborted: false }, (p) => void (p.kind === 'score' && here.push(...p.scored)));
    const there: ScoredDoc[] = [];
    const result = await runStoreWork(work, { db: store.db, spawn: spawnStoreWorker, signal: new AbortController().signal, gate: store.writes, onProgress: (p) => void there.push(...(p.scored ?? [])) });
    expect(result).toEqual({ scored: 20 });
    expect(here).toHaveLength(20);
    expect(there.map((d) => d.docId)).toEqual(here.map((d) => d.docId));
    there.forEach((d, i) => {
      expect([...d.labels]).toEqual([...here[i]!.labels]);
      expect(Array.from(d.scores)).toEqual(Array.from(here[i]!.scores));
      expect(d.uncertainty).toBe(here[i]!.uncertainty);
    });
  });

  // The tiny test model learns little from three examples, so these check the mechanism (which
  // scores are used, in which order, with which reasons), not the model's quality.
  it('rare-first adds the model scores of the few-shot label, × its rarity', async () => {
    await scored();
    const r = await next({ strategy: 'rare-first' });
    expect(r.note).toMatch(/model #1's scores for those labels/);
    expect(r.modelId).toBe(1);
    expect(r.items[0]!.reason).toMatch(/^L5 \(3 train docs\): model score 0\.\d\d$/);
    expect(r.items.every((x, i) => i === 0 || x.score! <= r.items[i - 1]!.score!)).toBe(true);
  });

  it('by-label ranks by the model score of the label', async () => {
    await scored();
    const labelId = (await call(env.services.handlers, 'labels.search', { projectId, query: 'L5', limit: 1 }, http)).items[0]!.id;
    const r = await next({ strategy: 'by-label', labelId });
    expect(r.note).toMatch(/^model #1's scores for the label/);
    const scores = r.items.map((x) => Number(/model score (\d\.\d+)/.exec(x.reason ?? '')?.[1]));
    expect(scores.every((v) => Number.isFinite(v))).toBe(true);
    expect(scores.every((v, i) => i === 0 || v <= scores[i - 1]!)).toBe(true);
    expect(r.total).toBe(70);
  });

  it('similar combines the model profile with shared words', async () => {
    await scored();
    const source = [...poolText].find(([, text]) => text.includes(keyToken(RARE)))![0];
    const r = await next({ strategy: 'similar', docId: source });
    expect(r.note).toMatch(/label-score profile/);
    expect(r.items.some((x) => x.docId === source)).toBe(false);
    expect(r.items[0]!.reason).toMatch(/^model profile [01]\.\d\d/);
  });

  it('a model replaced while in use keeps its session until the last lease is released', async () => {
    const models = env.services.context.models;
    const store = env.services.context.projects.get(projectId);
    const lease = (await models.lease(projectId, store))!;
    models.invalidate(projectId); // what a finished training does
    expect(lease.stale).toBe(true);
    // Still usable: a scoring job or request in flight finishes on the old model.
    const [row] = await lease.loaded.predictor.scoreTexts([poolText.values().next().value!]);
    expect(row!.length).toBe(6);
    lease.release();
    await new Promise((r) => setTimeout(r, 50));
    await expect(lease.loaded.predictor.scoreTexts(['x'])).rejects.toThrow(/disposed/);
    // The next request loads the model afresh.
    const again = (await models.lease(projectId, store))!;
    expect(again.stale).toBe(false);
    expect((await again.loaded.predictor.scoreTexts(['x']))[0]!.length).toBe(6);
    again.release();
  });
});

describe('a model the process has not loaded yet', () => {
  let env: ReturnType<typeof tempServices>;
  const projectId = 'cold';
  const next = (input: Record<string, unknown>): Promise<Output<'queue.next'>> => call(env.services.handlers, 'queue.next', { projectId, limit: 20, ...input }, http);
  const train = async (): Promise<void> => {
    const trained = await call(env.services.handlers, 'training.start', { projectId, mode: 'full', settings: TEST_SETTINGS }, http);
    expect((await env.services.jobs.wait(trained.jobId)).outcome).toBe('done');
  };

  beforeAll(async () => {
    env = tempServices();
    const h = env.services.handlers;
    await call(h, 'projects.create', { id: projectId, name: 'Cold model' }, cli);
    const corpus = syntheticCorpus({ labels: 6, train: 80, dev: 20, unlabelled: 70, seed: 4 });
    const rows = [
      ...corpus.train.map((d, i) => ({ id: `t${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'train' })),
      ...corpus.tuning.concat(corpus.evaluation).map((d, i) => ({ id: `d${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'dev' })),
      ...corpus.unlabelled.map((t, i) => ({ id: `p${i}`, text: t, labels: [], split: 'pool' })),
    ];
    const file = join(env.dataDir, 'cold.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const imported = await call(h, 'imports.corpus', { projectId, source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
    expect((await env.services.jobs.wait(imported.jobId)).outcome).toBe('done');
    await train();
  }, 300_000);
  afterAll(async () => env.cleanup());

  it('the first page answers from the keyword order while the model is still loading; the scoring job loads it', async () => {
    const models = env.services.context.models;
    const lease = models.lease.bind(models);
    let open!: () => void;
    const loading = new Promise<void>((r) => (open = r));
    let asked = 0;
    // The model's files take as long as we say to load.
    models.lease = async (...a) => {
      asked++;
      await loading;
      return lease(...a);
    };
    const id = new ModelsRepo(env.services.context.projects.get(projectId).db).currentId()!;
    try {
      const first = await next({ strategy: 'rare-first', split: 'pool' });
      expect(first.items.length).toBe(20);
      expect(first.modelId).toBeNull();
      expect(first.scoring).toMatchObject({ modelId: id, done: 0, total: 70 });
      expect(first.note).toContain(`Model #${id} is scoring 70 documents (0%)`);
      // The page came while the model could not have loaded (nobody got it yet).
      const again = await next({ strategy: 'rare-first', split: 'pool', offset: 20 });
      expect(again.scoring?.jobId).toBe(first.scoring!.jobId);
      open();
      expect(await env.services.jobs.wait(first.scoring!.jobId)).toMatchObject({ kind: 'predict', outcome: 'done' });
      // One load, by the job (the second page asked nothing of the model).
      expect(asked).toBe(1);
    } finally {
      models.lease = lease;
    }
    const ready = await next({ strategy: 'rare-first', split: 'pool' });
    expect(ready.modelId).toBe(id);
    expect(ready.scoring).toBeNull();
  });

  it('a model whose files cannot be read leaves the queue working without it, and its job says why', async () => {
    await train();
    const store = env.services.context.projects.get(projectId);
    const id = new ModelsRepo(store.db).currentId()!;
    const row = new ModelsRepo(store.db).get(id)!;
    writeFileSync(join(store.dir, row.path, 'model.json'), '{ not json');
    env.services.context.models.invalidate(projectId);
    const first = await next({ strategy: 'rare-first', split: 'pool' });
    expect(first.items.length).toBe(20);
    expect(first.scoring).toMatchObject({ modelId: id });
    const job = await env.services.jobs.wait(first.scoring!.jobId);
    expect(job.outcome).toBe('failed');
    expect(JSON.stringify(job.error)).toMatch(/model\.json is not valid JSON/);
    const after = await next({ strategy: 'rare-first', split: 'pool' });
    expect(after.items.length).toBe(20);
    expect(after.modelId).toBeNull();
    expect(after.scoring).toBeNull();
  });
});
