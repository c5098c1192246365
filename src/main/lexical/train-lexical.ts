/**
 * Trains the lexical model from vocabulary-encoded documents: TF-IDF fitted on the training pool
 * (labelled and unlabelled training documents, never dev/test), the ranker on the labelled ones,
 * description vectors for every label.
 */
import type { Vocabulary } from '../plant/text/vocabulary';
import { descriptionVectors, type DescribedLabel } from './descriptions';
import { inlineRunner, workerRunner, type GroupRunner, type SpawnLexicalWorker } from './group-runner';
import type { LexicalModel } from './model';
import { buildNeighbourIndex, type NeighbourOptions } from './neighbours';
import type { Csr } from './sparse';
import { positiveFingerprints } from './retrain';
import { fitTfidf, TfidfVectorizer, type TfidfOptions } from './tfidf';
import { DEFAULT_RANKER_OPTIONS, groupOptions, trainRanker, type RankerOptions, type RankerTrainStats } from './train-ranker';

export interface LexicalTrainInput {
  vocab: Vocabulary;
  /** Token ids of the labelled training documents. */
  train: readonly Int32Array[];
  trainLabels: readonly ArrayLike<number>[];
  /** Token ids of unlabelled training-pool documents (idf only). */
  unlabelled: readonly Int32Array[];
  labels: readonly DescribedLabel[];
  /** [train docs] a hash of each training document's text (fingerprints of each label's documents). */
  docHashes?: ArrayLike<number>;
  /** [train docs] the project's document ids (the neighbour index names them in evidence). */
  docIds?: ArrayLike<number>;
}

export interface LexicalTrainHooks {
  /** phase 'features' then 'ranker'; done/total in each phase's own unit, monotone. */
  onProgress?: (phase: 'features' | 'ranker', done: number, total: number) => void;
  signal?: { readonly aborted: boolean };
  threads?: number;
  /** Worker threads for the ranker (absent: this thread, yielding between tasks). */
  spawnWorker?: SpawnLexicalWorker;
}

export interface LexicalTrainResult {
  model: LexicalModel;
  /** The training documents' TF-IDF rows (reused for hard negatives and the few-shot loop). */
  X: Csr;
  vectorizer: TfidfVectorizer;
  stats: RankerTrainStats & { features: number; nnz: number; featureSeconds: number; rankerSeconds: number };
}

export function makeRunner(X: Csr, o: RankerOptions, hooks: Pick<LexicalTrainHooks, 'threads' | 'spawnWorker'>): GroupRunner {
  const threads = hooks.threads ?? 1;
  return hooks.spawnWorker && threads > 1 ? workerRunner(X, groupOptions(o), hooks.spawnWorker, threads) : inlineRunner(X, groupOptions(o));
}

export async function trainLexical(input: LexicalTrainInput, options: { ranker?: Partial<RankerOptions>; tfidf?: Partial<TfidfOptions>; neighbours?: NeighbourOptions | null }, hooks: LexicalTrainHooks = {}): Promise<LexicalTrainResult> {
  const o: RankerOptions = { ...DEFAULT_RANKER_OPTIONS, ...options.ranker };
  const t0 = performance.now();
  const total = input.train.length + input.unlabelled.length;
  hooks.onProgress?.('features', 0, 2 * input.train.length + input.unlabelled.length);
  const { model: tfidf } = fitTfidf([...input.train, ...input.unlabelled], input.vocab.size, options.tfidf);
  hooks.onProgress?.('features', total, 2 * input.train.length + input.unlabelled.length);
  const vectorizer = new TfidfVectorizer(tfidf);
  const shared = Boolean(hooks.spawnWorker && (hooks.threads ?? 1) > 1);
  const X = vectorizer.transformAll(input.train, shared);
  hooks.onProgress?.('features', 2 * input.train.length + input.unlabelled.length, 2 * input.train.length + input.unlabelled.length);
  const t1 = performance.now();
  const runner = makeRunner(X, o, hooks);
  try {
    const { ranker, stats } = await trainRanker(X, input.trainLabels, input.labels.length, o, {
      runner,
      threads: hooks.threads ?? 1,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onProgress: (d, t) => hooks.onProgress?.('ranker', d, t),
    });
    const descriptions = descriptionVectors(input.labels, input.vocab, vectorizer);
    const neighbours = options.neighbours ? buildNeighbourIndex(X, input.trainLabels, options.neighbours, input.docHashes, input.docIds) : null;
    const t2 = performance.now();
    return {
      model: { tfidf, ranker, descriptions, options: o, ...(input.docHashes ? { fingerprints: positiveFingerprints(input.docHashes, input.trainLabels, input.labels.length) } : {}), ...(neighbours ? { neighbours } : {}) },
      X,
      vectorizer,
      stats: { ...stats, features: tfidf.keys.length, nnz: X.indptr[X.rows]!, featureSeconds: (t1 - t0) / 1000, rankerSeconds: (t2 - t1) / 1000 },
    };
  } finally {
    await runner.dispose();
  }
}
