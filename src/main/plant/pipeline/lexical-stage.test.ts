import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlantSettings, type PlantSettingsInput } from '../../../shared/contract';
import { exactLexicalStage, hardNegativesOf, lexicalStage, oneVsRestWork } from './lexical-stage';
import type { PipelineProgress } from './progress';
import { StageStore } from './stage-store';
import { syntheticCorpus } from './testing/synthetic';
import { buildEncodedCorpus } from './tokenize-stage';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function rankerWeights(unlabelled: number, lexical: PlantSettingsInput['lexical'] = {}): Promise<{ weights: number[]; features: number }> {
  const corpus = syntheticCorpus({ labels: 6, train: 80, dev: 20, unlabelled, seed: 5 });
  const s = PlantSettings.parse({ seed: 1, lexical });
  // The same vocabulary in every run: only what the ranker does with the pool may differ.
  const vocab = buildEncodedCorpus(syntheticCorpus({ labels: 6, train: 80, dev: 20, unlabelled: 60, seed: 5 }), s).vocab;
  const encoded = buildEncodedCorpus(corpus, s, vocab);
  const dir = mkdtempSync(join(tmpdir(), 'lexical-stage-'));
  dirs.push(dir);
  const r = await lexicalStage(corpus, encoded, s, new StageStore(dir, 'k'), { workDir: dir });
  return { weights: r.model.ranker.levels.flatMap((l) => Array.from(l.weight)), features: r.model.tfidf.idf.length };
}

describe('the lexical stage and the unlabelled pool', () => {
  it('more unlabelled text leaves the ranker exactly as it was (document frequencies from labelled documents)', async () => {
    const without = await rankerWeights(0);
    const withPool = await rankerWeights(60);
    expect(withPool.weights.length).toBeGreaterThan(0);
    expect(withPool).toEqual(without);
  });

  it('with idfFromPool the pool does change the features (the switch is real)', async () => {
    const without = await rankerWeights(0, { idfFromPool: true });
    const withPool = await rankerWeights(60, { idfFromPool: true });
    expect(withPool.weights).not.toEqual(without.weights);
  });
});

describe('the training documents\' hard negatives (stage "shortlist")', () => {
  const corpus = syntheticCorpus({ labels: 8, train: 90, dev: 30, unlabelled: 0, seed: 7 });

  async function stage(lexical: PlantSettingsInput['lexical']) {
    const s = PlantSettings.parse({ seed: 1, lexical });
    const encoded = buildEncodedCorpus(corpus, s);
    const dir = mkdtempSync(join(tmpdir(), 'lexical-stage-'));
    dirs.push(dir);
    const lx = await lexicalStage(corpus, encoded, s, new StageStore(dir, 'k'), { workDir: dir });
    return { s, encoded, lx };
  }

  it('are the ranker\'s best wrong labels, at most k of them, with progress that only moves forward', async () => {
    const { s, encoded, lx } = await stage({ hardNegatives: 3 });
    const events: PipelineProgress[] = [];
    const hard = (await hardNegativesOf(lx, corpus, encoded, s, { onProgress: (p) => void events.push(p) }))!;
    expect(hard).toHaveLength(corpus.train.length);
    hard.forEach((h, i) => {
      expect(h.length).toBeLessThanOrEqual(3);
      for (const l of h) expect(corpus.train[i]!.labels).not.toContain(l);
    });
    // 8 labels, ~1.5 gold a document: nearly every document has 3 wrong labels to offer
    expect(hard.filter((h) => h.length === 3).length).toBeGreaterThan(80);
    // the first hard negative is the highest-scored label that is not gold
    const i = 0;
    const gold = new Set(corpus.train[i]!.labels);
    const scores = lx.scorer.candidates(lx.scorer.vectorize(encoded.train[i]!), { beam: 20, zeroShot: 0, shortlist: 8 });
    expect(hard[i]![0]).toBe(Array.from(scores.labels).find((l) => !gold.has(l)));
    expect(events.every((e) => e.stage === 'shortlist' && e.total === corpus.train.length)).toBe(true);
    events.forEach((e, k) => k > 0 && expect(e.done).toBeGreaterThanOrEqual(events[k - 1]!.done));
    expect(events.at(-1)!.done).toBe(corpus.train.length);
  });

  it('are not searched when fine-tuning wants none', async () => {
    const { s, encoded, lx } = await stage({ hardNegatives: 0 });
    expect(await hardNegativesOf(lx, corpus, encoded, s, {})).toBeUndefined();
  });

  it('stop at cancellation', async () => {
    const big = syntheticCorpus({ labels: 8, train: 450, dev: 30, unlabelled: 0, seed: 7 });
    const s = PlantSettings.parse({ seed: 1 });
    const encoded = buildEncodedCorpus(big, s);
    const dir = mkdtempSync(join(tmpdir(), 'lexical-stage-'));
    dirs.push(dir);
    const lx = await lexicalStage(big, encoded, s, new StageStore(dir, 'k'), { workDir: dir });
    const abort = new AbortController();
    const run = hardNegativesOf(lx, big, encoded, s, { signal: abort.signal, onProgress: () => abort.abort() });
    await expect(run).rejects.toMatchObject({ stage: 'shortlist' });
  });
});

describe('stage "exact": one-vs-rest after the label tree\'s first model', () => {
  const corpus = syntheticCorpus({ labels: 12, train: 120, dev: 30, unlabelled: 0, seed: 3 });

  async function treeFirst(lexical: PlantSettingsInput['lexical'] = {}) {
    const tree = PlantSettings.parse({ seed: 1, lexical: { structure: 'tree', leafSize: 4 } });
    const s = PlantSettings.parse({ seed: 1, lexical: { leafSize: 4, ...lexical } });
    const encoded = buildEncodedCorpus(corpus, s);
    const dir = mkdtempSync(join(tmpdir(), 'lexical-stage-'));
    dirs.push(dir);
    const store = new StageStore(dir, 'k');
    const first = await lexicalStage(corpus, encoded, tree, store, { workDir: dir });
    return { s, encoded, store, dir, first };
  }

  it('replaces a tree by one-vs-rest: every trained label a child of the root, the same features, candidates for every dev document', async () => {
    const { s, encoded, store, dir, first } = await treeFirst();
    expect(first.model.ranker.tree.levels.length).toBeGreaterThan(1);
    const events: PipelineProgress[] = [];
    const exact = (await exactLexicalStage(first, corpus, encoded, s, store, { workDir: dir, onProgress: (p) => void events.push(p) }))!;
    expect(exact).not.toBeNull();
    expect(exact.model.ranker.tree.levels).toHaveLength(1);
    expect(Array.from(exact.model.ranker.tree.labels).sort((a, b) => a - b)).toEqual(Array.from(first.model.ranker.tree.labels).sort((a, b) => a - b));
    expect(exact.model.tfidf.keys).toEqual(first.model.tfidf.keys);
    expect(exact.tuning).toHaveLength(encoded.tuning.length);
    expect(exact.evaluation).toHaveLength(encoded.evaluation.length);
    expect(first.trainedRows).toBeNull(); // released: hard negatives come from one-vs-rest now
    expect(exact.stats['oneVsRestWork']).toBe(oneVsRestWork(first, encoded));
    // one-vs-rest scores every trained label: its candidates are at least as many as the tree's beam reaches
    exact.evaluation.forEach((c, i) => expect(c.labels.length).toBeGreaterThanOrEqual(first.evaluation[i]!.labels.length));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.stage === 'exact')).toBe(true);
    events.forEach((e, k) => k > 0 && expect(e.done).toBeGreaterThanOrEqual(events[k - 1]!.done));
  });

  it('the work of one one-vs-rest pass is labels × the training documents\' non-zeros, counted the same when the rows must be rebuilt', async () => {
    const { encoded, first } = await treeFirst();
    const nnz = first.stats['nnz'] as number;
    expect(nnz).toBeGreaterThan(0);
    expect(oneVsRestWork(first, encoded)).toBe(first.model.ranker.tree.labels.length * nnz);
    expect(oneVsRestWork({ ...first, stats: {}, trainedRows: null }, encoded)).toBe(first.model.ranker.tree.labels.length * nnz);
  });

  it('is skipped over the work limit, when disabled, when the first ranker is already one-vs-rest, and when the structure is chosen by hand', async () => {
    const { s, encoded, store, dir, first } = await treeFirst();
    const work = oneVsRestWork(first, encoded);
    const over = PlantSettings.parse({ ...s, lexical: { ...s.lexical, exactWorkLimit: work - 1 } });
    expect(await exactLexicalStage(first, corpus, encoded, over, store, { workDir: dir })).toBeNull();
    const at = PlantSettings.parse({ ...s, lexical: { ...s.lexical, exactWorkLimit: work } });
    expect(await exactLexicalStage(first, corpus, encoded, at, store, { workDir: dir })).not.toBeNull();
    const off = PlantSettings.parse({ ...s, lexical: { ...s.lexical, exactWorkLimit: 0 } });
    expect(await exactLexicalStage(first, corpus, encoded, off, store, { workDir: dir })).toBeNull();
    const byHand = PlantSettings.parse({ ...s, lexical: { ...s.lexical, structure: 'tree' } });
    expect(await exactLexicalStage(first, corpus, encoded, byHand, store, { workDir: dir })).toBeNull();
    const flat = await lexicalStage(corpus, encoded, s, new StageStore(mkdtempSync(join(tmpdir(), 'lexical-stage-')), 'k'), { workDir: dir });
    expect(flat.model.ranker.tree.levels).toHaveLength(1);
    expect(await exactLexicalStage(flat, corpus, encoded, s, store, { workDir: dir })).toBeNull();
  });
});
