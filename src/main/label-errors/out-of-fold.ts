/**
 * The label-errors audit's k-fold pass: the training documents are dealt into k folds (a seeded
 * shuffle, so fold sizes differ by at most one); for each fold the lexical ranker — the fast model,
 * TF-IDF fitted on the other folds' documents only — is trained on the other k − 1 folds and scores
 * the held-out documents: every gold label (its exact path score, lexical/label-scores.ts) and its
 * best `predictions` labels. No document is scored by a model that saw its labels.
 *
 * Runs in the calling thread, yielding between linear-model tasks and every few documents (or
 * with the ranker's worker threads when given), so a host answering requests is never held long.
 */
import { Rng } from '../engine/rng';
import type { DescribedLabel } from '../lexical/descriptions';
import { GroupRunCancelled, type SpawnLexicalWorker } from '../lexical/group-runner';
import { LabelPathScorer } from '../lexical/label-scores';
import { rankLabels, RankerScratch } from '../lexical/ranker';
import { TfidfVectorizer, type TfidfOptions } from '../lexical/tfidf';
import type { RankerOptions } from '../lexical/train-ranker';
import { trainLexical } from '../lexical/train-lexical';
import type { Vocabulary } from '../plant/text/vocabulary';
import type { OofDoc } from './suspicion';

export interface OofInput {
  vocab: Vocabulary;
  /** Token ids of the training documents. */
  docs: readonly Int32Array[];
  /** [docs] gold labels (dense indices into `labels`). */
  docLabels: readonly ArrayLike<number>[];
  labels: readonly DescribedLabel[];
}

export interface OofOptions {
  folds: number;
  seed: number;
  /** Best non-gold labels kept per document (candidates for "predicted, not in gold"). */
  predictions: number;
  /** Beam of the ranker's tree search (flat rankers score every label anyway). */
  beam: number;
  ranker?: Partial<RankerOptions>;
  tfidf?: Partial<TfidfOptions>;
}

export const DEFAULT_OOF_OPTIONS: OofOptions = Object.freeze({ folds: 5, seed: 17, predictions: 10, beam: 20 });

export interface OofHooks {
  signal?: { readonly aborted: boolean };
  /** Overall progress in steps (1000 per fold), never moving back. */
  onProgress?: (done: number, total: number) => void;
  spawnWorker?: SpawnLexicalWorker;
  threads?: number;
}

/** Thrown between steps when the signal is aborted. */
export class OofCancelled extends Error {
  constructor() {
    super('label-errors audit cancelled');
    this.name = 'OofCancelled';
  }
}

/** Fold of each document: a seeded shuffle dealt round-robin (sizes differ by at most one). */
export function assignFolds(n: number, k: number, seed: number): Uint8Array {
  if (k < 2 || k > 255) throw new Error(`assignFolds: k must be 2–255, got ${k}`);
  const order = Array.from({ length: n }, (_, i) => i);
  new Rng(seed).shuffle(order);
  const fold = new Uint8Array(n);
  order.forEach((doc, i) => (fold[doc] = i % k));
  return fold;
}

const STEPS_PER_FOLD = 1000;
/** The linear models' share of a fold's steps; TF-IDF takes the first 10 %, scoring the rest. */
const TRAIN_END = 800;
const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Out-of-fold scores of every training document (in input order). */
export async function outOfFold(input: OofInput, options: Partial<OofOptions> = {}, hooks: OofHooks = {}): Promise<OofDoc[]> {
  const o: OofOptions = { ...DEFAULT_OOF_OPTIONS, ...options };
  const n = input.docs.length;
  const L = input.labels.length;
  const total = o.folds * STEPS_PER_FOLD;
  let reported = 0;
  const report = (done: number): void => {
    if (done <= reported) return;
    reported = Math.min(total, done);
    hooks.onProgress?.(reported, total);
  };
  const check = (): void => {
    if (hooks.signal?.aborted) throw new OofCancelled();
  };
  const fold = assignFolds(n, o.folds, o.seed);
  const out: OofDoc[] = new Array(n);
  hooks.onProgress?.(0, total);
  for (let f = 0; f < o.folds; f++) {
    check();
    const base = f * STEPS_PER_FOLD;
    const trainIdx: number[] = [];
    const heldOut: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? heldOut : trainIdx).push(i);
    let trained;
    try {
      trained = await trainLexical(
        { vocab: input.vocab, train: trainIdx.map((i) => input.docs[i]!), trainLabels: trainIdx.map((i) => input.docLabels[i]!), unlabelled: [], labels: input.labels },
        { ...(o.ranker ? { ranker: o.ranker } : {}), ...(o.tfidf ? { tfidf: o.tfidf } : {}) },
        {
          // Without workers, more threads only cuts the linear models into more, shorter tasks
          // (the inline runner yields between tasks): the host waits less at a time.
          threads: hooks.spawnWorker ? (hooks.threads ?? 2) : 16,
          ...(hooks.spawnWorker ? { spawnWorker: hooks.spawnWorker } : {}),
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          onProgress: (phase, d, t) => report(base + (phase === 'features' ? Math.round((100 * d) / Math.max(1, t)) : 100 + Math.round(((TRAIN_END - 100) * d) / Math.max(1, t)))),
        },
      );
    } catch (e) {
      if (e instanceof GroupRunCancelled) throw new OofCancelled();
      throw e;
    }
    const model = trained.model;
    const vectorizer = new TfidfVectorizer(model.tfidf);
    const paths = new LabelPathScorer(model.ranker, L);
    const scratch = new RankerScratch();
    for (let j = 0; j < heldOut.length; j++) {
      const i = heldOut[j]!;
      const x = vectorizer.transform(input.docs[i]!);
      const gold = Int32Array.from(input.docLabels[i]!);
      const goldSet = new Set(gold);
      const ranked = rankLabels(model.ranker, x, { beam: o.beam, topK: o.predictions + gold.length }, scratch);
      const predicted: number[] = [];
      const predictedScores: number[] = [];
      for (let r = 0; r < ranked.labels.length && predicted.length < o.predictions; r++) {
        if (goldSet.has(ranked.labels[r]!)) continue;
        predicted.push(ranked.labels[r]!);
        predictedScores.push(ranked.scores[r]!);
      }
      out[i] = { gold, goldScores: paths.scores(x, gold), predicted: Int32Array.from(predicted), predictedScores: Float32Array.from(predictedScores) };
      if (j % 32 === 31) {
        check();
        report(base + TRAIN_END + Math.round(((STEPS_PER_FOLD - TRAIN_END) * (j + 1)) / heldOut.length));
        await yieldNow();
      }
    }
    report(base + STEPS_PER_FOLD);
  }
  return out;
}
