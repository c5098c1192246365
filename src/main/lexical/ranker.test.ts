import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { balancedHierarchy } from './cluster';
import { encodeLexicalModel, decodeLexicalModel } from './format';
import { inlineRunner, workerRunner } from './group-runner';
import { LexicalScorer } from './model';
import { buildNeighbourIndex } from './neighbours';
import { labelDocs, pifaVectors } from './pifa';
import { postScore, rankLabels } from './ranker';
import { CsrBuilder, normalizeRows, rowOf, type Csr } from './sparse';
import { spawnTsxLexicalWorker } from './testing/tsx-worker';
import { matcherParents } from './matcher-negatives';
import { buildTree, DEFAULT_RANKER_OPTIONS, groupOptions, groupTasks, groupTasksAt, sliceTasks, trainRanker, type RankerOptions } from './train-ranker';
import { ancestors, flatTree, hierarchyDepth, treeFromHierarchy } from './tree';

/**
 * A synthetic corpus where label l's documents use "its" features 4l … 4l + 3 plus noise, so a
 * correct ranker puts the gold label first; labels 0–7 come in pairs sharing features, so the
 * clustering has structure to find.
 */
function corpus(seed: number, docsPerLabel: number, numLabels: number, shared = false): { X: Csr; labels: number[][] } {
  const rng = new Rng(seed);
  const F = 4 * numLabels + 20;
  const b = new CsrBuilder(F);
  const labels: number[][] = [];
  for (let l = 0; l < numLabels; l++) {
    for (let i = 0; i < docsPerLabel; i++) {
      const feats = new Map<number, number>();
      for (let k = 0; k < 3; k++) feats.set(4 * l + rng.int(4), 1 + rng.next());
      feats.set(4 * (l ^ 1) + rng.int(4), 0.5 + rng.next()); // the pair's features
      for (let k = 0; k < 2; k++) feats.set(4 * numLabels + rng.int(20), 0.3 * rng.next());
      const idx = [...feats.keys()].sort((x, y) => x - y);
      b.push(idx, idx.map((f) => feats.get(f)!));
      labels.push([l]);
    }
  }
  const X = b.build(shared);
  normalizeRows(X);
  return { X, labels };
}

const opts = (o: Partial<RankerOptions>): RankerOptions => ({ ...DEFAULT_RANKER_OPTIONS, threshold: 0, ...o });

describe('label tree', () => {
  it('balanced bisection gives clusters whose sizes differ by at most one, every label once', () => {
    const { X, labels } = corpus(1, 3, 13);
    const ld = labelDocs(labels, 13);
    const vectors = pifaVectors(X, ld, Array.from({ length: 13 }, (_, i) => i));
    const h = balancedHierarchy(vectors, Int32Array.from({ length: 13 }, (_, i) => i), 2, { seed: 3, dim: X.cols });
    expect([...h.order].sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i));
    const sizes = Array.from({ length: 4 }, (_, c) => h.bounds[2]![c + 1]! - h.bounds[2]![c]!);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.reduce((a, b) => a + b)).toBe(13);
  });

  it('clusters labels that share their features together (the pairs 2k, 2k + 1)', () => {
    // labels 2k and 2k + 1 draw from the same four features, plus one of their own
    const rng = new Rng(2);
    const b = new CsrBuilder(40);
    const labels: number[][] = [];
    for (let l = 0; l < 8; l++) {
      for (let i = 0; i < 6; i++) {
        const feats = new Map<number, number>([[32 + l, 0.5]]);
        for (let k = 0; k < 3; k++) feats.set(4 * (l >> 1) + rng.int(4), 1 + rng.next());
        const idx = [...feats.keys()].sort((x, y) => x - y);
        b.push(idx, idx.map((f) => feats.get(f)!));
        labels.push([l]);
      }
    }
    const X = b.build();
    normalizeRows(X);
    const ld = labelDocs(labels, 8);
    const h = balancedHierarchy(pifaVectors(X, ld, Array.from({ length: 8 }, (_, i) => i)), Int32Array.from({ length: 8 }, (_, i) => i), 2, { seed: 1, dim: X.cols });
    for (let c = 0; c < 4; c++) {
      const pair = [...h.order.subarray(h.bounds[2]![c]!, h.bounds[2]![c + 1]!)];
      expect(pair[0]! >> 1).toBe(pair[1]! >> 1);
    }
  });

  it('cuts the hierarchy into levels and maps labels to their ancestors', () => {
    const h = { order: Int32Array.from([3, 1, 0, 2, 5, 4, 7, 6]), bounds: [Int32Array.of(0, 8), Int32Array.of(0, 4, 8), Int32Array.of(0, 2, 4, 6, 8)] };
    const t = treeFromHierarchy(h, 1, [10, 11, 12, 13, 14, 15, 16, 17]);
    expect(t.levels.map((l) => [...l.childStart])).toEqual([[0, 2], [0, 2, 4], [0, 2, 4, 6, 8]]);
    expect([...t.labels]).toEqual([13, 11, 10, 12, 15, 14, 17, 16]);
    const anc = ancestors(t);
    expect([...anc[0]!]).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect([...anc[1]!]).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(hierarchyDepth(8, 2)).toBe(2);
    expect(hierarchyDepth(9, 2)).toBe(3);
  });

  it('teacher-forced groups: a node trains on the documents of its parent only', () => {
    const t = treeFromHierarchy({ order: Int32Array.from([0, 1, 2, 3]), bounds: [Int32Array.of(0, 4), Int32Array.of(0, 2, 4)] }, 1, [0, 1, 2, 3]);
    const docs = [[0], [1], [2], [3], []];
    const g = groupTasks(t, docs, 4);
    expect(g[0]!.map((x) => [...x.task.docs])).toEqual([[0, 1, 2, 3, 4]]); // root: every document
    expect(g[1]!.map((x) => [...x.task.docs])).toEqual([[0, 1], [2, 3]]);
    expect([...g[1]![1]!.task.pos]).toEqual([0, 1]);
  });

  it('matcher-aware negatives: a document joins the groups its beam reaches, as a negative there', () => {
    const t = treeFromHierarchy({ order: Int32Array.from([0, 1, 2, 3]), bounds: [Int32Array.of(0, 4), Int32Array.of(0, 2, 4)] }, 1, [0, 1, 2, 3]);
    const docs = [[0], [1], [2], [3, 0], []];
    // doc 0 (label 0, cluster 0) was routed to cluster 1 as well; doc 3 already reaches both; doc 4 to cluster 0
    const g = groupTasksAt(t, 1, docs, 4, [Int32Array.of(1), new Int32Array(0), Int32Array.of(0), Int32Array.of(0, 1), Int32Array.of(0)]);
    expect(g.map((x) => [...x.task.docs])).toEqual([[0, 1, 2, 3, 4], [0, 2, 3]]);
    // positives: cluster 0's doc 2 and doc 4 are negatives for both children; doc 3 is positive for child 0
    expect(g.map((x) => [...x.task.posStart])).toEqual([[0, 1, 2, 2, 3, 3], [0, 0, 1, 2]]);
    expect(g.map((x) => [...x.task.pos])).toEqual([[0, 1, 0], [0, 1]]);
  });
});

describe('lexical ranker', () => {
  it('flat one-vs-rest ranks each document\'s gold label first on a separable corpus', async () => {
    const { X, labels } = corpus(5, 8, 6);
    const o = opts({ structure: 'flat' });
    const { ranker, stats } = await trainRanker(X, labels, 6, o, { runner: inlineRunner(X, groupOptions(o)) });
    expect(stats.structure).toBe('flat');
    let right = 0;
    for (let d = 0; d < X.rows; d++) if (rankLabels(ranker, rowOf(X, d), { beam: 10, topK: 1 }).labels[0] === labels[d]![0]) right++;
    expect(right / X.rows).toBeGreaterThan(0.95);
  });

  it('tree search with a beam covering every node equals scoring the whole tree exhaustively', async () => {
    const { X, labels } = corpus(6, 5, 16);
    const o = opts({ structure: 'tree', leafSize: 4, branchBits: 1 });
    const { ranker, stats } = await trainRanker(X, labels, 16, o, { runner: inlineRunner(X, groupOptions(o)) });
    expect(stats.levels).toEqual([2, 4, 16]);
    for (let d = 0; d < X.rows; d += 7) {
      const wide = rankLabels(ranker, rowOf(X, d), { beam: 1000, topK: 16 });
      expect(wide.labels.length).toBe(16);
      // path score = product of the post-processed scores along the path: recompute for the best label
      const best = wide.labels[0]!;
      expect(wide.scores[0]).toBeLessThanOrEqual(postScore('squaredHinge', wide.raw[0]!) + 1e-6);
      const narrow = rankLabels(ranker, rowOf(X, d), { beam: 1, topK: 4 });
      expect(narrow.labels.length).toBe(4); // one leaf cluster's labels
      expect(wide.labels).toContain(best);
    }
    let right = 0;
    for (let d = 0; d < X.rows; d++) if (rankLabels(ranker, rowOf(X, d), { beam: 2, topK: 1 }).labels[0] === labels[d]![0]) right++;
    expect(right / X.rows).toBeGreaterThan(0.9);
  });

  it('matcher parents are the beam of the trained levels above, and the matcher-aware tree trains on them', async () => {
    const { X, labels } = corpus(6, 5, 16);
    const o = opts({ structure: 'tree', leafSize: 4, branchBits: 1 });
    const teacher = await trainRanker(X, labels, 16, o, { runner: inlineRunner(X, groupOptions(o)) });
    const beams = matcherParents(teacher.ranker.tree, teacher.ranker.levels, 1, X, 2, 'squaredHinge');
    for (let d = 0; d < X.rows; d += 5) {
      // level 1's 4 nodes as "labels": the same two as a full search with a wide beam stopped there
      const wide = rankLabels({ tree: { levels: teacher.ranker.tree.levels.slice(0, 2), labels: Int32Array.from([0, 1, 2, 3]) }, levels: teacher.ranker.levels.slice(0, 2), loss: 'squaredHinge' }, rowOf(X, d), { beam: 4, topK: 2 });
      expect([...beams[d]!]).toEqual([...wide.labels].sort());
    }
    const progress: number[] = [];
    const aware = await trainRanker(X, labels, 16, { ...o, matcherBeam: 2 }, { runner: inlineRunner(X, groupOptions(o)), onProgress: (d, t) => progress.push(d / t) }, teacher.ranker.tree);
    // the leaf models saw more documents (the negatives the beam brings), the upper levels the same
    expect(aware.stats.solverWork).toBeGreaterThan(teacher.stats.solverWork);
    expect([...aware.ranker.levels[0]!.weight]).toEqual([...teacher.ranker.levels[0]!.weight]);
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(1);
    let right = 0;
    for (let d = 0; d < X.rows; d++) if (rankLabels(aware.ranker, rowOf(X, d), { beam: 2, topK: 1 }).labels[0] === labels[d]![0]) right++;
    expect(right / X.rows).toBeGreaterThan(0.9);
  });

  it('picks the tree only when one-vs-rest would cost more than the limit', () => {
    const { X, labels } = corpus(7, 3, 40);
    expect(buildTree(X, labels, 40, opts({ leafSize: 8 })).levels.length).toBe(1); // tiny: flat
    expect(buildTree(X, labels, 40, opts({ leafSize: 8, flatWorkLimit: 10 })).levels.length).toBeGreaterThan(1);
    expect(buildTree(X, labels, 40, opts({ structure: 'flat' }))).toEqual(flatTree(Array.from({ length: 40 }, (_, i) => i)));
  });

  it('gives the same model trained in worker threads, with slices of large groups, as in this thread', async () => {
    const { X, labels } = corpus(8, 6, 12, true);
    const o = opts({ structure: 'tree', leafSize: 3, branchBits: 2 });
    const inline = await trainRanker(X, labels, 12, o, { runner: inlineRunner(X, groupOptions(o)) });
    const pool = workerRunner(X, groupOptions(o), spawnTsxLexicalWorker, 2);
    try {
      const threaded = await trainRanker(X, labels, 12, o, { runner: pool, threads: 2 });
      expect(threaded.stats.tasks).toBeGreaterThan(inline.stats.tasks); // sliced for 2 threads
      for (let k = 0; k < inline.ranker.levels.length; k++) {
        expect([...threaded.ranker.levels[k]!.feats]).toEqual([...inline.ranker.levels[k]!.feats]);
        expect([...threaded.ranker.levels[k]!.weight]).toEqual([...inline.ranker.levels[k]!.weight]);
        expect([...threaded.ranker.levels[k]!.bias]).toEqual([...inline.ranker.levels[k]!.bias]);
      }
    } finally {
      await pool.dispose();
    }
  });

  it('slices a costly group into child ranges that cover every child once', () => {
    const { X, labels } = corpus(9, 2, 10);
    const g = groupTasks(flatTree(Array.from({ length: 10 }, (_, i) => i)), labels, 10)[0]![0]!.task;
    const parts = sliceTasks(X, [g], 1);
    expect(parts.map((p) => p.childRange)).toEqual(Array.from({ length: 10 }, (_, i) => [i, i + 1]));
  });

  it('prunes weights below the threshold', async () => {
    const { X, labels } = corpus(10, 6, 6);
    const dense = await trainRanker(X, labels, 6, opts({ structure: 'flat' }), { runner: inlineRunner(X, groupOptions(opts({}))) });
    const o = opts({ structure: 'flat', threshold: 0.2 });
    const pruned = await trainRanker(X, labels, 6, o, { runner: inlineRunner(X, groupOptions(o)) });
    expect(pruned.stats.entries).toBeLessThan(dense.stats.entries);
    expect([...pruned.ranker.levels[0]!.weight].every((w) => Math.abs(w) >= 0.2)).toBe(true);
  });
});

describe('lexical.bin', () => {
  it('round-trips a model: every array and every prediction', async () => {
    const { X, labels } = corpus(11, 4, 8);
    const o = opts({ structure: 'tree', leafSize: 2, branchBits: 1 });
    const { ranker } = await trainRanker(X, labels, 10, o, { runner: inlineRunner(X, groupOptions(o)) });
    const desc = new CsrBuilder(X.cols);
    for (let l = 0; l < 10; l++) desc.push(l >= 8 ? [4 * l] : [], l >= 8 ? [1] : []);
    const model = { tfidf: { vocabSize: 50, ngrams: 2 as const, keys: Float64Array.from({ length: X.cols }, (_, i) => i + 4), idf: new Float32Array(X.cols).fill(1.5), numDocs: X.rows }, ranker, descriptions: desc.build(), options: o };
    const back = decodeLexicalModel(encodeLexicalModel(model), 10);
    expect(back.options).toEqual(o);
    expect([...back.tfidf.keys]).toEqual([...model.tfidf.keys]);
    expect([...back.ranker.tree.labels]).toEqual([...ranker.tree.labels]);
    for (let d = 0; d < X.rows; d++) {
      const a = rankLabels(ranker, rowOf(X, d), { beam: 3, topK: 5 });
      const b = rankLabels(back.ranker, rowOf(X, d), { beam: 3, topK: 5 });
      expect([...b.labels]).toEqual([...a.labels]);
      expect([...b.scores]).toEqual([...a.scores]);
    }
    // labels 8 and 9 have no training documents: only their descriptions can bring them in
    const scorer = new LexicalScorer(back, 10);
    expect(scorer.trained[8]).toBe(0);
    // Built in steps (a host loading a model keeps answering), the scorer gives the same candidates.
    let turned = false;
    setImmediate(() => (turned = true));
    const stepped = await LexicalScorer.create(back, 10);
    expect(turned).toBe(true);
    for (let d = 0; d < X.rows; d++) {
      const o = { beam: 3, shortlist: 5, zeroShot: 2 };
      expect(stepped.candidates(rowOf(X, d), o)).toEqual(scorer.candidates(rowOf(X, d), o));
    }
  });

  it('round-trips the neighbour index, and the candidates carry the same votes', async () => {
    const { X, labels } = corpus(13, 4, 8);
    const o = opts({ structure: 'flat' });
    const { ranker } = await trainRanker(X, labels, 8, o, { runner: inlineRunner(X, groupOptions(o)) });
    const desc = new CsrBuilder(X.cols);
    for (let l = 0; l < 8; l++) desc.push([], []);
    const hashes = Array.from({ length: X.rows }, (_, d) => 1000 + d);
    const model = { tfidf: { vocabSize: 50, ngrams: 2 as const, keys: Float64Array.from({ length: X.cols }, (_, i) => i), idf: new Float32Array(X.cols).fill(1), numDocs: X.rows }, ranker, descriptions: desc.build(), options: o, neighbours: buildNeighbourIndex(X, labels, { keep: 8 }, hashes, hashes.map((h) => h + 1)) };
    const back = decodeLexicalModel(encodeLexicalModel(model), 8);
    expect([...back.neighbours!.docHash!]).toEqual(hashes);
    expect([...back.neighbours!.docId!]).toEqual(hashes.map((h) => h + 1));
    const withoutIds = decodeLexicalModel(encodeLexicalModel({ ...model, neighbours: buildNeighbourIndex(X, labels, { keep: 8 }, hashes) }), 8);
    expect(withoutIds.neighbours!.docId).toBeUndefined();
    expect([...back.neighbours!.postDoc]).toEqual([...model.neighbours.postDoc]);
    const sl = { beam: 3, shortlist: 3, zeroShot: 0, neighbours: { k: 3, extra: 2 } };
    const a = new LexicalScorer(model, 8);
    const b = new LexicalScorer(back, 8);
    for (let d = 0; d < X.rows; d++) {
      const c = b.candidates(rowOf(X, d), sl);
      expect(c).toEqual(a.candidates(rowOf(X, d), sl));
      expect(c.knn).toBeDefined();
      // the document itself is its nearest neighbour, so its labels have votes …
      for (const l of labels[d]!) expect(c.knn![Array.from(c.labels).indexOf(l)]).toBeGreaterThan(0);
      // … and it is its own nearest neighbour, unless its copy is skipped by its text hash
      const q = { k: 3, queryFeatures: 64 };
      expect(b.neighbourSearch!.nearest(rowOf(X, d), q).docs[0]).toBe(d);
      expect([...b.neighbourSearch!.nearest(rowOf(X, d), q, hashes[d]).docs]).not.toContain(d);
      // without asking for votes the candidates are the ranker's alone
      expect(b.candidates(rowOf(X, d), { beam: 3, shortlist: 3, zeroShot: 0 }).knn).toBeUndefined();
    }
    // a file whose postings name a document the index does not have is refused
    const bad = { ...model, neighbours: { ...model.neighbours, postDoc: model.neighbours.postDoc.map(() => X.rows + 5) } };
    expect(() => decodeLexicalModel(encodeLexicalModel(bad), 8)).toThrow(/names a document outside/);
  });

  it('refuses a file that is not one, or that does not fit the model', async () => {
    expect(() => decodeLexicalModel(Buffer.from('hello world, not a model'), 3)).toThrow(/bad magic/);
    const { X, labels } = corpus(12, 2, 4);
    const o = opts({ structure: 'flat' });
    const { ranker } = await trainRanker(X, labels, 4, o, { runner: inlineRunner(X, groupOptions(o)) });
    const model = { tfidf: { vocabSize: 50, ngrams: 2 as const, keys: Float64Array.from({ length: X.cols }, (_, i) => i), idf: new Float32Array(X.cols), numDocs: 8 }, ranker, descriptions: new CsrBuilder(X.cols).build(), options: o };
    const buf = encodeLexicalModel({ ...model, descriptions: (() => { const b = new CsrBuilder(X.cols); for (let i = 0; i < 4; i++) b.push([], []); return b.build(); })() });
    expect(() => decodeLexicalModel(buf, 5)).toThrow(/descriptions cover 4 labels, the model has 5/);
    expect(() => decodeLexicalModel(buf.subarray(0, buf.length - 64), 4)).toThrow(/outside the file/);
  });
});
