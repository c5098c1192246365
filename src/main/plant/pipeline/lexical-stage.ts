/**
 * Stage "lexical": the sparse lexical ranker (src/main/lexical) trained on the run's documents —
 * TF-IDF on the training pool, linear models per label — and the dev halves' candidates: the
 * shortlist that the attention model scores and the fusion ranks. Stage "shortlist"
 * (`hardNegativesOf`) later gives the training documents' best-ranked wrong labels (hard
 * negatives of fine-tuning): it runs after the lexical model is served, because at 45,000
 * documents it takes minutes that the first suggestions should not wait for. The trained model
 * is kept in the work folder under the stage's key, so a resumed run does not train it again.
 */
import { existsSync, renameSync } from 'node:fs';
import type { PlantSettings } from '../../../shared/contract';
import { decodeLexicalModel, encodeLexicalModel } from '../../lexical/format';
import type { SpawnLexicalWorker } from '../../lexical/group-runner';
import { GroupRunCancelled } from '../../lexical/group-runner';
import { LexicalScorer, type Candidates, type LexicalModel, type ShortlistOptions } from '../../lexical/model';
import { buildNeighbourIndex, DEFAULT_NEIGHBOUR_OPTIONS } from '../../lexical/neighbours';
import { rowOf, type SparseVector } from '../../lexical/sparse';
import { trainLexical } from '../../lexical/train-lexical';
import { positiveFingerprints, retrainRanker, textHash } from '../../lexical/retrain';
import { makeRunner } from '../../lexical/train-lexical';
import { TfidfVectorizer } from '../../lexical/tfidf';
import { descriptionVectors } from '../../lexical/descriptions';
import { readFileSync } from 'node:fs';
import type { PlantCorpus } from './corpus';
import { writeFileDurable } from './durable';
import { PipelineCancelled, type PipelineHooks, type StageName } from './progress';
import type { StageStore } from './stage-store';
import type { EncodedCorpus } from './tokenize-stage';
import { shortlistOf } from './predict';

export interface LexicalStageResult {
  model: LexicalModel;
  scorer: LexicalScorer;
  /** The training documents' TF-IDF rows when this run computed them (else re-vectorised on demand). */
  trainedRows: ((i: number) => SparseVector) | null;
  tuning: Candidates[];
  evaluation: Candidates[];
  /** Share of the dev halves' gold labels among their candidates (the shortlist's recall). */
  recall: { tuning: number | null; evaluation: number | null };
  stats: Record<string, unknown>;
}


export function rankerOptions(s: PlantSettings): Parameters<typeof trainLexical>[1] {
  const l = s.lexical;
  return {
    ranker: { loss: l.loss, C: l.C, threshold: l.prune, structure: l.structure, leafSize: l.leafSize, fixedOffset: l.fixedOffset, seed: s.seed },
    tfidf: { minDf: l.minDf, maxFeatures: l.maxFeatures },
    neighbours: l.neighbours > 0 ? DEFAULT_NEIGHBOUR_OPTIONS : null,
  };
}

/** The training documents' project ids, when every one has one (a project's corpus). */
function docIdsOf(corpus: PlantCorpus): { docIds?: number[] } {
  return corpus.train.every((d) => d.id !== undefined) ? { docIds: corpus.train.map((d) => d.id!) } : {};
}

/** Share of gold labels found among the candidates (null without gold labels). */
export function candidateRecall(candidates: readonly Candidates[], gold: readonly (readonly number[])[]): number | null {
  let hit = 0;
  let total = 0;
  candidates.forEach((c, i) => {
    const set = new Set(c.labels);
    for (const g of new Set(gold[i])) {
      total++;
      if (set.has(g)) hit++;
    }
  });
  return total ? hit / total : null;
}

/** Candidates of many documents, yielding to the event loop and checking cancellation between batches. */
export async function candidatesOf(scorer: LexicalScorer, rows: readonly SparseVector[] | ((i: number) => SparseVector), n: number, o: ShortlistOptions, hooks: Pick<PipelineHooks, 'signal'>, onDone?: (done: number) => void, stage: StageName = 'lexical'): Promise<Candidates[]> {
  const out: Candidates[] = [];
  const row = typeof rows === 'function' ? rows : (i: number) => rows[i]!;
  for (let i = 0; i < n; i++) {
    out.push(scorer.candidates(row(i), o));
    if (i % 200 === 199) {
      if (hooks.signal?.aborted) throw new PipelineCancelled(stage);
      onDone?.(i + 1);
      await new Promise((r) => setImmediate(r));
    }
  }
  onDone?.(n);
  return out;
}

/** The ranker of stage "lexical", or the exact one-vs-rest ranker of stage "exact" (exactLexicalStage). */
type LexicalVariant = { stage: 'lexical' } | { stage: 'exact'; structure: 'flat' };

export async function lexicalStage(corpus: PlantCorpus, encoded: EncodedCorpus, s: PlantSettings, store: StageStore, hooks: PipelineHooks & { spawnLexicalWorker?: SpawnLexicalWorker }, variant: LexicalVariant = { stage: 'lexical' }): Promise<LexicalStageResult> {
  const L = corpus.labels.length;
  const stage = variant.stage;
  const file = store.file(`${stage === 'lexical' ? 'lexical' : 'lexical-exact'}.${store.keyOf('lexical').slice(-12)}.bin`);
  const progress = (done: number, total: number, message: string): void => hooks.onProgress?.({ stage, done, total, unit: 'step', message });
  const options = rankerOptions(s);
  if (variant.stage === 'exact') options.ranker = { ...options.ranker, structure: variant.structure };
  let model: LexicalModel | null = null;
  let stats: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      model = decodeLexicalModel(readFileSync(file), L, file);
      stats = { resumed: true };
    } catch {
      model = null; // a damaged stage file is retrained, not trusted
    }
  }
  // Progress in one unit for the whole stage: features (≈ 10 %), ranker (≈ 70 %), candidates (≈ 20 %).
  const TOTAL = 1000;
  let trainedRows: ((i: number) => SparseVector) | null = null;
  if (!model) {
    try {
      const r = await trainLexical(
        { vocab: encoded.vocab, train: encoded.train, trainLabels: corpus.train.map((d) => d.labels), unlabelled: s.lexical.idfFromPool ? encoded.unlabelled : [], labels: corpus.labels, docHashes: corpus.train.map((d) => textHash(d.text)), ...docIdsOf(corpus) },
        options,
        {
          threads: s.threads ?? 1,
          ...(hooks.spawnLexicalWorker ? { spawnWorker: hooks.spawnLexicalWorker } : {}),
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          onProgress: (phase, d, t) => progress(phase === 'features' ? Math.round((100 * d) / Math.max(1, t)) : 100 + Math.round((700 * d) / Math.max(1, t)), TOTAL, phase === 'features' ? 'TF-IDF features' : 'linear models'),
        },
      );
      model = r.model;
      stats = r.stats as unknown as Record<string, unknown>;
      const X = r.X;
      trainedRows = (i) => rowOf(X, i);
      const tmp = `${file}.tmp`;
      writeFileDurable(tmp, encodeLexicalModel(model));
      renameSync(tmp, file);
    } catch (e) {
      if (e instanceof GroupRunCancelled) throw new PipelineCancelled(stage);
      throw e;
    }
  }
  return shortlists(model, trainedRows, corpus, encoded, s, hooks, stats, (d, t) => progress(800 + Math.round((200 * d) / Math.max(1, t)), TOTAL, 'shortlists'), stage);
}

/** Labels with a linear model × non-zeros of the training documents' TF-IDF rows: one-vs-rest's work for one pass. */
export function oneVsRestWork(lx: LexicalStageResult, encoded: EncodedCorpus): number {
  const labels = lx.model.ranker.tree.labels.length;
  let nnz = typeof lx.stats['nnz'] === 'number' ? lx.stats['nnz'] : -1;
  if (nnz < 0) {
    nnz = 0;
    const row = lx.trainedRows ?? rowsOf(lx.scorer, encoded.train);
    for (let i = 0; i < encoded.train.length; i++) nnz += row(i).indices.length;
  }
  return labels * nnz;
}

/** One-vs-rest's work when stage "exact" should run after `first` (exactLexicalStage), else null: a skipped stage is not timed. */
export function exactStageWork(first: LexicalStageResult, encoded: EncodedCorpus, s: PlantSettings): number | null {
  if (s.lexical.structure !== 'auto' || s.lexical.exactWorkLimit <= 0 || first.model.ranker.tree.levels.length < 2) return null;
  const work = oneVsRestWork(first, encoded);
  return work > s.lexical.exactWorkLimit ? null : work;
}

/**
 * Stage "exact": when the first ranker was a label tree (one-vs-rest was too much work for the
 * first suggestions) and one-vs-rest is still affordable (`s.lexical.exactWorkLimit`), the exact
 * one-vs-rest ranker, trained after the tree's model serves. Every label's model then sees every
 * training document as a negative, not only its cluster's: at EURLEX57K-45,000 served P@5 70.4 →
 * 71.0, micro-F1 75.6 → 76.3 (bench/lexical-scale.ts --structure flat), for ~12× the tree's solver
 * work. Null when the first ranker is already one-vs-rest or the work is over the limit.
 */
export async function exactLexicalStage(first: LexicalStageResult, corpus: PlantCorpus, encoded: EncodedCorpus, s: PlantSettings, store: StageStore, hooks: PipelineHooks & { spawnLexicalWorker?: SpawnLexicalWorker }): Promise<LexicalStageResult | null> {
  const work = exactStageWork(first, encoded, s);
  if (work === null) return null;
  // The tree's training rows are only needed for hard negatives, which now come from one-vs-rest:
  // released here so both matrices are not held at once (~200 MB at EURLEX57K-45,000).
  first.trainedRows = null;
  const exact = await lexicalStage(corpus, encoded, s, store, hooks, { stage: 'exact', structure: 'flat' });
  return { ...exact, stats: { ...exact.stats, oneVsRestWork: work } };
}

/** The dev halves' candidates under `model`, with the shortlist's recall. */
export async function shortlists(
  model: LexicalModel,
  trainedRows: ((i: number) => SparseVector) | null,
  corpus: PlantCorpus,
  encoded: EncodedCorpus,
  s: PlantSettings,
  hooks: PipelineHooks,
  stats: Record<string, unknown>,
  onProgress: (done: number, total: number) => void,
  stage: StageName = 'lexical',
): Promise<LexicalStageResult> {
  const scorer = new LexicalScorer(model, corpus.labels.length);
  const o = shortlistOf(s);
  const all = encoded.tuning.length + encoded.evaluation.length;
  onProgress(0, all);
  const tuning = await candidatesOf(scorer, rowsOf(scorer, encoded.tuning), encoded.tuning.length, o, hooks, (d) => onProgress(d, all), stage);
  const evaluation = await candidatesOf(scorer, rowsOf(scorer, encoded.evaluation), encoded.evaluation.length, o, hooks, (d) => onProgress(encoded.tuning.length + d, all), stage);
  onProgress(all, all);
  return {
    model,
    scorer,
    trainedRows,
    tuning,
    evaluation,
    recall: { tuning: candidateRecall(tuning, corpus.tuning.map((d) => d.labels)), evaluation: candidateRecall(evaluation, corpus.evaluation.map((d) => d.labels)) },
    stats,
  };
}

const rowsOf = (scorer: LexicalScorer, ids: readonly Int32Array[]) => (i: number) => scorer.vectorize(ids[i]!);

/**
 * Stage "shortlist": each training document's `s.lexical.hardNegatives` best-ranked wrong labels
 * under the ranker (undefined when fine-tuning wants none). Progress counts documents.
 */
export async function hardNegativesOf(lx: LexicalStageResult, corpus: PlantCorpus, encoded: EncodedCorpus, s: PlantSettings, hooks: Pick<PipelineHooks, 'onProgress' | 'signal'>): Promise<Int32Array[] | undefined> {
  const k = s.lexical.hardNegatives;
  if (k <= 0) return undefined;
  const o = shortlistOf(s);
  const n = encoded.train.length;
  const progress = (done: number): void => hooks.onProgress?.({ stage: 'shortlist', done, total: n, unit: 'documents', message: 'hard negatives of the training documents' });
  const cands = await candidatesOf(lx.scorer, lx.trainedRows ?? rowsOf(lx.scorer, encoded.train), n, { beam: o.beam, zeroShot: 0, shortlist: Math.min(o.shortlist, k + 32) }, hooks, progress, 'shortlist');
  return corpus.train.map((d, i) => {
    const gold = new Set(d.labels);
    return Int32Array.from(Array.from(cands[i]!.labels).filter((l) => !gold.has(l)).slice(0, k));
  });
}

/**
 * The few-shot loop's lexical step: the previous model's features, the changed labels' linear
 * models retrained (lexical/retrain.ts), descriptions for the new label space.
 */
export async function lexicalRefresh(
  previous: LexicalModel,
  previousIndex: readonly (number | null)[],
  corpus: PlantCorpus,
  encoded: EncodedCorpus,
  s: PlantSettings,
  hooks: PipelineHooks & { spawnLexicalWorker?: SpawnLexicalWorker },
): Promise<LexicalStageResult> {
  const t0 = performance.now();
  const L = corpus.labels.length;
  const progress = (done: number, total: number, message: string): void => hooks.onProgress?.({ stage: 'lexical', done, total, unit: 'step', message });
  progress(0, 1000, 'TF-IDF features');
  const vectorizer = new TfidfVectorizer(previous.tfidf);
  const threads = s.threads ?? 1;
  const X = vectorizer.transformAll(encoded.train, Boolean(hooks.spawnLexicalWorker && threads > 1));
  const docHashes = corpus.train.map((d) => textHash(d.text));
  const fingerprints = positiveFingerprints(docHashes, corpus.train.map((d) => d.labels), L);
  const changed = new Set<number>();
  previousIndex.forEach((p, l) => {
    if (p === null || !previous.fingerprints || previous.fingerprints[p] !== fingerprints[l]) changed.add(l);
  });
  progress(100, 1000, 'linear models of the changed labels');
  const runner = makeRunner(X, previous.options, { threads, ...(hooks.spawnLexicalWorker ? { spawnWorker: hooks.spawnLexicalWorker } : {}) });
  let retrained;
  try {
    retrained = await retrainRanker({ previous: previous.ranker, previousIndex, X, docLabels: corpus.train.map((d) => d.labels), numLabels: L, changed }, previous.options, runner);
  } finally {
    await runner.dispose();
  }
  // The neighbours are the training documents themselves: rebuilt whole (seconds at 45,000), so
  // a newly annotated document votes at once.
  const neighbours = s.lexical.neighbours > 0 ? { neighbours: buildNeighbourIndex(X, corpus.train.map((d) => d.labels), DEFAULT_NEIGHBOUR_OPTIONS, docHashes, docIdsOf(corpus).docIds) } : {};
  const model: LexicalModel = { tfidf: previous.tfidf, ranker: retrained.ranker, descriptions: descriptionVectors(corpus.labels, encoded.vocab, vectorizer), options: previous.options, fingerprints, ...neighbours };
  progress(800, 1000, 'shortlists');
  const stats = { changedLabels: changed.size, retrainedModels: retrained.retrainedModels, newLabels: retrained.newLabels, seconds: (performance.now() - t0) / 1000 };
  return shortlists(model, (i) => rowOf(X, i), corpus, encoded, s, hooks, stats, (d, t) => progress(800 + Math.round((200 * d) / Math.max(1, t)), 1000, 'shortlists'));
}
