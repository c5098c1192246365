import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { PlantSettings, type JobProgress } from '../../shared/contract';
import { keyToken, syntheticCorpus, TEST_SETTINGS } from '../plant/pipeline/testing/synthetic';
import { unreadableEvidence } from '../../shared/text/evidence-filter';
import { tempServices } from '../testing/temp-services';

const cli: CallContext = { transport: 'cli', trusted: true };
const http: CallContext = { transport: 'http', trusted: false };

describe('training through the contract', () => {
  let env: ReturnType<typeof tempServices>;
  const projectId = 'synth';
  const wait = async (jobId: string) => env.services.jobs.wait(jobId);

  beforeAll(async () => {
    env = tempServices();
    const h = env.services.handlers;
    await call(h, 'projects.create', { id: projectId, name: 'Synthetic' }, cli);
    const corpus = syntheticCorpus({ labels: 6, train: 120, dev: 60, unlabelled: 20, seed: 5 });
    const rows = [
      ...corpus.train.map((d, i) => ({ id: `t${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'train' })),
      ...[...corpus.tuning, ...corpus.evaluation].map((d, i) => ({ id: `d${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'dev' })),
      ...corpus.unlabelled.map((t, i) => ({ id: `p${i}`, text: t, labels: [], split: 'pool' })),
      // Nine tokens, one of them a word: the 8 most attended must include stop-words and numbers.
      { id: 'noise', text: `${keyToken(0)} of the 12 , and 40 old in of`, labels: [], split: 'pool' },
    ];
    const file = join(env.dataDir, 'synth.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const { jobId } = await call(h, 'imports.corpus', { projectId, source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
    expect((await wait(jobId)).outcome).toBe('done');
  });
  afterAll(async () => env.cleanup());

  it('evaluation.report before any model is a normal answer, not a 404 (issue #14)', async () => {
    expect(await call(env.services.handlers, 'evaluation.report', { projectId, split: 'dev' }, http)).toEqual({ modelId: null, split: 'dev', noModel: 'there is no model to evaluate yet: train one first' });
    await expect(call(env.services.handlers, 'evaluation.report', { projectId, split: 'dev', modelId: 999 }, http)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses a retrain before any model exists', async () => {
    await expect(call(env.services.handlers, 'training.start', { projectId, mode: 'retrain' }, http)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses CUDA on a machine without it, saying why', async () => {
    env.services.context.capabilities.cuda = false;
    await expect(call(env.services.handlers, 'training.start', { projectId, mode: 'full', settings: { device: 'cuda' } }, http)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('trains, records the run and the model, and serves suggestions, evidence and evaluation', async () => {
    const h = env.services.handlers;
    const progress: string[] = [];
    const snapshots: JobProgress[] = [];
    const off = env.services.events.on((e, p) => {
      if (e !== 'jobs.progress') return;
      progress.push((p as { phase: string }).phase);
      snapshots.push(p as JobProgress);
    });
    // Before the first training there is no measured cost: the estimate says steps, not seconds.
    const first = await call(h, 'training.estimate', { projectId, mode: 'full', settings: TEST_SETTINGS }, http);
    expect(first).toMatchObject({ seconds: null, basedOnRun: null });
    expect(first.steps).toBeGreaterThan(0);
    const { jobId } = await call(h, 'training.start', { projectId, mode: 'full', settings: TEST_SETTINGS }, http);
    const finished = await wait(jobId);
    off();
    // After it, the same training is estimated from its stage timings (the same step budgets: the same seconds).
    const { runs: done } = await call(h, 'training.runs', { projectId }, http);
    const again = await call(h, 'training.estimate', { projectId, mode: 'full', settings: TEST_SETTINGS }, http);
    expect(again).toMatchObject({ steps: first.steps, basedOnRun: done.at(-1)!.id });
    expect(again.seconds).toBeCloseTo(done.at(-1)!.stageTimings.reduce((a, t) => a + t.seconds, 0), 6);
    // Twice the fine-tuning epochs: the fine-tuning stage's seconds scale with its steps.
    const longer = await call(h, 'training.estimate', { projectId, mode: 'full', settings: { ...TEST_SETTINGS, epochs: { ...TEST_SETTINGS.epochs, finetune: 8 } } }, http);
    expect(longer.steps).toBeGreaterThan(again.steps);
    expect(longer.seconds!).toBeGreaterThan(again.seconds!);
    // A first retrain is timed from the full run's shared stages (tokenize, ranker, fine-tuning, …).
    const retrain = await call(h, 'training.estimate', { projectId, mode: 'retrain' }, http);
    expect(retrain).toMatchObject({ basedOnRun: done.at(-1)!.id });
    expect(retrain.seconds!).toBeGreaterThan(0);
    expect(retrain.seconds!).toBeLessThan(again.seconds!);
    expect(finished.outcome, JSON.stringify(finished.error)).toBe('done');
    expect(new Set(progress)).toEqual(expect.objectContaining({}));
    expect(progress).toContain('l2r');
    expect(progress).toContain('finetune');
    // Monotone bars (issue #14): the run's share never goes back, nor a stage's within it.
    snapshots.forEach((p, i) => i > 0 && expect(p.overall!.fraction, `${p.phase} ${p.message ?? ''}`).toBeGreaterThanOrEqual(snapshots[i - 1]!.overall!.fraction));
    snapshots.forEach((p, i) => {
      const prev = snapshots[i - 1];
      if (prev?.phase === p.phase && prev.total > 0 && p.total > 0) expect(p.done / p.total, p.phase).toBeGreaterThanOrEqual(prev.done / prev.total);
    });
    expect(snapshots.some((p) => p.overall?.etaMs !== undefined)).toBe(true);
    // two models: the lexical ranker alone (served while the attention stages ran), then the fused one
    const { models } = await call(h, 'models.list', { projectId }, http);
    expect(models).toHaveLength(2);
    expect(models[0]).toMatchObject({ kind: 'plant', mode: 'full', serves: 'fused', current: true, labels: 6 });
    expect(models[1]).toMatchObject({ serves: 'lexical', current: false });
    expect(models[0]!.metrics!['p@1']).toBeGreaterThan(0.7);
    expect(models[0]!.calibration?.ece).toBeLessThan(0.2);
    expect(models[0]!.components.lexical?.['p@1']).toBeGreaterThan(0.5);
    expect(finished.result).toMatchObject({ serves: 'fused', earlyModelId: models[1]!.id });
    const { runs } = await call(h, 'training.runs', { projectId }, http);
    expect(runs[0]).toMatchObject({ outcome: 'done', modelId: models[0]!.id });

    const docs = await call(h, 'documents.list', { projectId, split: 'dev', limit: 5 }, http);
    const doc = await call(h, 'documents.get', { projectId, docId: docs.items[0]!.id }, http);
    const gold = doc.labels.filter((l) => l.present).map((l) => l.labelId);
    const sugg = await call(h, 'suggestions.get', { projectId, docId: doc.id, top: 3 }, http);
    expect(sugg.modelId).toBe(models[0]!.id);
    expect(sugg.labels).toHaveLength(3);
    expect(gold).toContain(sugg.labels[0]!.labelId);
    const ev = await call(h, 'evidence.get', { projectId, docId: doc.id, labelIds: [sugg.labels[0]!.labelId], k: 3 }, http);
    const span = ev.labels[0]!.spans[0]!;
    expect(doc.text.slice(span.start, span.end)).toMatch(/^key/);
    // the lexical terms that raised the label, located in the text
    const term = ev.labels[0]!.terms[0]!;
    expect(term.weight).toBeGreaterThan(0);
    expect(doc.text.slice(term.spans[0]!.start, term.spans[0]!.end).toLowerCase()).toBe(term.text.split(' ').length === 1 ? term.text : doc.text.slice(term.spans[0]!.start, term.spans[0]!.end).toLowerCase());
    // the coded documents whose vote raised it: other documents of the project, carrying the label
    const similar = ev.labels[0]!.similar;
    expect(similar.length).toBeGreaterThan(0);
    for (const d of similar) {
      expect(d.docId).not.toBe(doc.id);
      const other = await call(h, 'documents.get', { projectId, docId: d.docId }, http);
      expect(other.labels.filter((l) => l.present).map((l) => l.labelId)).toContain(sugg.labels[0]!.labelId);
      expect(other.text.replace(/\s+/g, ' ').startsWith(d.excerpt.replace(/…$/, ''))).toBe(true);
      expect(d.similarity).toBeGreaterThan(0);
    }
    similar.forEach((d, i) => i > 0 && expect(d.similarity).toBeLessThanOrEqual(similar[i - 1]!.similarity));
    // a coder who takes the code off a similar document takes that document out of the evidence
    await call(h, 'annotations.apply', { projectId, docId: similar[0]!.docId, labelId: sugg.labels[0]!.labelId, action: 'reject' }, http);
    const after = await call(h, 'evidence.get', { projectId, docId: doc.id, labelIds: [sugg.labels[0]!.labelId], k: 3 }, http);
    expect(after.labels[0]!.similar.map((d) => d.docId)).not.toContain(similar[0]!.docId);
    expect(after.labels[0]!.similar.map((d) => d.docId)).toEqual(similar.slice(1).map((d) => d.docId));
    await call(h, 'annotations.undo', { projectId }, http);
    // Evidence never shows stop-words, numbers or punctuation (issue #14), however the model attends.
    const pool = (await call(h, 'documents.list', { projectId, split: 'pool', limit: 100 }, http)).items;
    const noisy = await call(h, 'documents.get', { projectId, docId: pool.find((d) => d.extId === 'noise')!.id }, http);
    const l0 = (await call(h, 'labels.search', { projectId, query: 'L0', limit: 1 }, http)).items[0]!;
    const shown = (await call(h, 'evidence.get', { projectId, docId: noisy.id, labelIds: [l0.id], k: 8 }, http)).labels[0]!.spans;
    expect(shown.map((s) => noisy.text.slice(s.start, s.end))).toEqual([keyToken(0)]);
    expect(shown.every((s) => unreadableEvidence(noisy.text.slice(s.start, s.end)) === null)).toBe(true);

    const report = await call(h, 'evaluation.report', { projectId, split: 'dev' }, http);
    if (report.modelId === null) throw new Error(report.noModel);
    expect(report.documents).toBeGreaterThan(10);
    expect(report.report['p@1']).toBeGreaterThan(0.7);
    expect(report.perLabel.length).toBeGreaterThan(0);
    // Streamed page by page from the served candidates, the report matches what training measured on the same half.
    const served = (await call(h, 'models.list', { projectId }, http)).models.find((m) => m.current)!;
    for (const k of ['p@1', 'p@3', 'p@5', 'ndcg@5', 'micro_f1', 'macro_f1'] as const) expect(report.report[k], k).toBeCloseTo(served.metrics![k]!, 5);
    expect(report.aucExact).toBe(true);
    expect(report.calibration?.pairs).toBeGreaterThan(0);
  });

  it('retrains with the few-shot loop from the current model, each of its models checked against that model', async () => {
    const h = env.services.handlers;
    const before = (await call(h, 'models.list', { projectId }, http)).models.find((m) => m.current)!;
    const { jobId } = await call(h, 'training.start', { projectId, mode: 'retrain' }, http);
    const finished = await wait(jobId);
    expect(finished.outcome, JSON.stringify(finished.error)).toBe('done');
    const { models } = await call(h, 'models.list', { projectId }, http);
    // the refreshed lexical ranker with the previous attention came first, then the refreshed fused model
    expect(models[0]).toMatchObject({ mode: 'retrain', serves: 'fused', parentId: models[2]!.id });
    expect(models[1]).toMatchObject({ mode: 'retrain', serves: 'fused', parentId: models[2]!.id });
    for (const m of models.slice(0, 2)) {
      expect(m.gate).toMatchObject({ metric: 'p@5', baselineModelId: before.id });
      expect(m.gate!.becameCurrent).toBe(m.gate!.score! >= m.gate!.baseline!);
      // both were compared with the model current before the run: one baseline score for both
      expect(m.gate!.baseline).toBe(models[0]!.gate!.baseline);
    }
    const serving = models.find((m) => m.current)!;
    expect(serving.id).toBe(models[0]!.gate!.becameCurrent ? models[0]!.id : models[1]!.gate!.becameCurrent ? models[1]!.id : before.id);
    expect(finished.result).toMatchObject({ becameCurrent: models[0]!.gate!.becameCurrent, currentModelId: serving.id });
  });

  it('a retrain that changes one setting keeps every other setting of the model it starts from', async () => {
    const h = env.services.handlers;
    const current = (await call(h, 'models.list', { projectId }, http)).models.find((m) => m.current)!;
    const { jobId } = await call(h, 'training.start', { projectId, mode: 'retrain', settings: { threads: 1, epochs: { finetune: 1 } } }, http);
    expect((await wait(jobId)).outcome).toBe('done');
    const runs = (await call(h, 'training.runs', { projectId }, http)).runs;
    const run = runs.reduce((a, b) => (b.id > a.id ? b : a));
    expect(run.settings).toEqual({ ...current.settings, threads: 1, epochs: { ...current.settings.epochs, finetune: 1 } });
    expect(run.settings.dim).not.toBe(PlantSettings.parse({}).dim); // TEST_SETTINGS differ from the defaults, so a default fill would show
  });

  it('keeps a worse model without making it current, says why, and one call switches to it (issue #14)', async () => {
    const h = env.services.handlers;
    const before = (await call(h, 'models.list', { projectId }, http)).models.find((m) => m.current)!;
    // A model that cannot rank: no ranker, no planting, one epoch at a tiny learning rate.
    const bad = { ...TEST_SETTINGS, plant: false, pretrain: false, lexical: { enabled: false }, lr: 1e-6, epochs: { pretrain: 0, l2r: 0, finetune: 1 } };
    const { jobId } = await call(h, 'training.start', { projectId, mode: 'full', settings: bad }, http);
    const finished = await wait(jobId);
    expect(finished.outcome, JSON.stringify(finished.error)).toBe('done');
    const { models } = await call(h, 'models.list', { projectId }, http);
    const worse = models[0]!;
    expect(worse.current).toBe(false);
    expect(models.find((m) => m.current)!.id).toBe(before.id);
    expect(worse.gate).toMatchObject({ becameCurrent: false, metric: 'p@5', baselineModelId: before.id });
    expect(worse.gate!.score!).toBeLessThan(worse.gate!.baseline!);
    expect(worse.gate!.reason).toMatch(new RegExp(`P@5 on the tuning half .* is below .* of model #${before.id}, which stays current`));
    expect(finished.result).toMatchObject({ modelId: worse.id, becameCurrent: false, currentModelId: before.id });
    // The project's metric is a setting; the choice is kept.
    expect(await call(h, 'training.policy', { projectId }, http)).toEqual({ gateMetric: 'p@5' });
    await call(h, 'training.setPolicy', { projectId, gateMetric: 'micro_f1' }, http);
    expect(await call(h, 'training.policy', { projectId }, http)).toEqual({ gateMetric: 'micro_f1' });
    await call(h, 'training.setPolicy', { projectId, gateMetric: 'p@5' }, http);
    // One click (models.setCurrent) switches to the kept model, and back.
    await call(h, 'models.setCurrent', { projectId, modelId: worse.id }, http);
    expect((await call(h, 'models.list', { projectId }, http)).models.find((m) => m.current)!.id).toBe(worse.id);
    await call(h, 'models.setCurrent', { projectId, modelId: before.id }, http);
  });

  it('exports a bundle under the project over HTTP, never to a path', async () => {
    const h = env.services.handlers;
    await expect(call(h, 'exports.model', { projectId, destination: { path: '/tmp/x' } }, http)).rejects.toMatchObject({ code: 'unauthorized' });
    const { jobId } = await call(h, 'exports.model', { projectId, destination: { name: 'bundle' } }, http);
    const finished = await wait(jobId);
    expect(finished.outcome).toBe('done');
    // Named relative to the project: a renderer never learns the server's absolute paths (issue #15).
    const { path: out, files } = finished.result as { path: string; files: string[] };
    expect(out).toBe('exports/bundle');
    expect(files).toContain('exports/bundle/model.onnx');
    const dir = join(env.services.projects.get(projectId).dir, out);
    for (const f of ['model.onnx', 'labels.json', 'vocab.json', 'model-card.md']) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, 'model-card.md'), 'utf8')).toContain('PLANT');
  });
});
