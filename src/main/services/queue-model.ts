import { summarise, type DocScores } from '../eval/doc-summary';
import { join } from 'node:path';
import { runStoreWork } from '../jobs/store-work';
import { ModelsRepo } from '../store/models-repo';
import type { ProjectStore } from '../store/project-store';
import type { ServiceContext } from './context';
import type { LoadedModel, ModelLease } from './model-cache';

export { summarise, uncertainty, TOP_K, type DocScores } from '../eval/doc-summary';

/** A document's score for one model label, when it is among its best TOP_K (else null). */
export function scoreFor(doc: DocScores, label: number): number | null {
  for (let i = 0; i < doc.labels.length; i++) if (doc.labels[i] === label) return doc.scores[i]!;
  return null;
}

/** Cosine of two documents' label profiles over their best labels (the rest counted as 0). */
export function profileCosine(a: DocScores, b: DocScores): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.labels.length; i++) {
    na += a.scores[i]! * a.scores[i]!;
    const s = scoreFor(b, a.labels[i]!);
    if (s !== null) dot += a.scores[i]! * s;
  }
  for (let i = 0; i < b.scores.length; i++) nb += b.scores[i]! * b.scores[i]!;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** What one model says about the scored documents. */
export interface ModelScores {
  modelId: number;
  /** The model's global decision threshold. */
  threshold: number;
  /** [L] each label's decision threshold (its training-frequency bucket's; the global one in older models). */
  thresholds: ArrayLike<number>;
  /** [L] project label row id of each model label (null: gone from the catalogue). */
  labelIds: (number | null)[];
  /** [L] code of each model label. */
  codes: string[];
  /** [L] title of each model label. */
  titles: string[];
  byDoc: Map<number, DocScores>;
}

export type ScoresAnswer =
  | { state: 'none' }
  | { state: 'ready'; scores: ModelScores }
  | { state: 'scoring'; modelId: number; jobId: string; done: number; total: number; partial: ModelScores };

/** Few enough missing documents to score inside the request (a by-label order after one new import). */
const INLINE_DOCS = 48;
/** Small batches: interactive requests (suggestions, evidence) wait at most one batch behind the job. */
const BATCH = 4;

interface Entry {
  scores: ModelScores;
  job: { jobId: string; done: number; total: number } | null;
  /** The model's label facts are in `scores` (false until a lease on the model arrives). */
  described?: boolean;
  /** The model could not be loaded: the queue ranks without it. */
  failed: boolean;
}

/** Scores of a model whose files are not read yet: no documents, no label facts. */
const emptyScores = (modelId: number): ModelScores => ({ modelId, threshold: 0.5, thresholds: [], labelIds: [], codes: [], titles: [], byDoc: new Map() });

/** Fills an entry's label facts from the loaded model. */
function describe(entry: Entry, loaded: LoadedModel): void {
  const labels = loaded.model.labels;
  Object.assign(entry.scores, {
    threshold: loaded.model.threshold,
    thresholds: loaded.model.labelThresholds ?? new Float64Array(labels.length).fill(loaded.model.threshold),
    labelIds: loaded.labelIds,
    codes: labels.map((l) => l.code),
    titles: labels.map((l) => l.title),
  });
  entry.described = true;
}

/**
 * Model scores of the queue's documents, per project and model: the pool is scored once per
 * model as a background job (`predict`, with progress), so ranking orders by the model costs a
 * sort, not a forward pass per document; the UI re-asks when the job finishes.
 */
export class QueueModelScores {
  readonly #s: ServiceContext;
  readonly #entries = new WeakMap<ProjectStore, Entry>();

  constructor(s: ServiceContext) {
    this.#s = s;
  }

  /**
   * The current model's scores of `docIds`. Never waits for a model to load unless the few
   * missing documents are scored inline: a model not asked about yet gets a scoring job at once,
   * and the job loads it (a cold process's first queue page answers from the keyword order
   * instead of waiting seconds for a 94,000-label model).
   */
  async get(projectId: string, store: ProjectStore, docIds: readonly number[]): Promise<ScoresAnswer> {
    const modelId = new ModelsRepo(store.db).currentId();
    if (modelId === null) return { state: 'none' };
    const known = this.#entries.get(store);
    if (known?.scores.modelId === modelId) {
      if (known.failed) return { state: 'none' };
      if (known.job) return this.#scoringAnswer(known);
      const missing = docIds.filter((id) => !known.scores.byDoc.has(id));
      if (missing.length === 0) return { state: 'ready', scores: known.scores };
      if (missing.length > INLINE_DOCS) return this.#startJob(projectId, store, known, missing);
    } else if (docIds.length > INLINE_DOCS) {
      const entry: Entry = { scores: emptyScores(modelId), job: null, failed: false };
      this.#entries.set(store, entry);
      return this.#startJob(projectId, store, entry, [...docIds]);
    }
    const lease = await this.#s.models.lease(projectId, store, modelId);
    if (!lease) return { state: 'none' };
    try {
      const entry = this.#entryOf(store, lease.loaded);
      if (entry.job) return this.#scoringAnswer(entry);
      const missing = docIds.filter((id) => !entry.scores.byDoc.has(id));
      if (missing.length > INLINE_DOCS) return this.#startJob(projectId, store, entry, missing);
      if (missing.length) await this.#score(store, lease.loaded, entry.scores, missing);
      return { state: 'ready', scores: entry.scores };
    } finally {
      lease.release();
    }
  }

  /** The entry of the loaded model, its label facts filled in (a job's entry gets them when its lease arrives). */
  #entryOf(store: ProjectStore, loaded: LoadedModel): Entry {
    let entry = this.#entries.get(store);
    if (!entry || entry.scores.modelId !== loaded.id) {
      entry = { scores: emptyScores(loaded.id), job: null, failed: false };
      this.#entries.set(store, entry);
    }
    if (!entry.described) describe(entry, loaded);
    return entry;
  }

  #scoringAnswer(entry: Entry): ScoresAnswer & { state: 'scoring' } {
    const job = entry.job!;
    return { state: 'scoring', modelId: entry.scores.modelId, jobId: job.jobId, done: job.done, total: job.total, partial: entry.scores };
  }

  /**
   * Without loading anything: 'ready' when this model's scores are in and no scoring job runs,
   * 'scoring' while one does, 'none' before the model was asked for.
   */
  state(store: ProjectStore, modelId: number): 'ready' | 'scoring' | 'none' {
    const entry = this.#entries.get(store);
    if (!entry || entry.scores.modelId !== modelId || entry.failed) return 'none';
    return entry.job ? 'scoring' : 'ready';
  }

  /** The running scoring job of this model, without loading anything (null when none runs). */
  scoring(store: ProjectStore, modelId: number): ScoresAnswer & { state: 'scoring' } | null {
    const entry = this.#entries.get(store);
    if (!entry || entry.scores.modelId !== modelId || !entry.job) return null;
    return this.#scoringAnswer(entry);
  }

  /** Scores `missing` in a background job that loads the model and holds a lease on it until it ends. */
  #startJob(projectId: string, store: ProjectStore, entry: Entry, missing: number[]): ScoresAnswer & { state: 'scoring' } {
    const job = { jobId: '', done: 0, total: missing.length };
    entry.job = job;
    const modelId = entry.scores.modelId;
    job.jobId = this.#s.jobs.start('predict', projectId, async (ctx) => {
      let lease: ModelLease | null = null;
      try {
        ctx.progress({ phase: `loading model #${modelId}`, done: 0, total: job.total, unit: 'documents' });
        try {
          lease = await this.#s.models.lease(projectId, store, modelId);
        } finally {
          if (!lease) entry.failed = true;
        }
        if (!lease) return { scored: 0 };
        const held = lease;
        const loaded = held.loaded;
        if (!entry.described) describe(entry, loaded);
        const progress = (): void => ctx.progress({ phase: `scoring documents with model #${loaded.id}`, done: job.done, total: job.total, unit: 'documents' });
        const spawn = this.#s.spawnStoreWorker;
        const row = new ModelsRepo(store.db).get(loaded.id);
        if (spawn && row) {
          // In a worker with its own connection and its own copy of the model: the host only files the summaries.
          const stop = new AbortController();
          const onAbort = (): void => stop.abort();
          ctx.signal.addEventListener('abort', onAbort);
          try {
            await runStoreWork(
              { kind: 'score', dbFile: store.dbFile, modelDir: join(store.dir, row.path), docIds: missing },
              {
                db: store.db,
                spawn,
                nativeBinding: this.#s.nativeBinding,
                signal: stop.signal,
                gate: store.writes,
                onProgress: (p) => {
                  if (held.stale || this.#entries.get(store) !== entry) return stop.abort();
                  for (const { docId, ...summary } of p.scored ?? []) entry.scores.byDoc.set(docId, summary);
                  job.done = p.done;
                  progress();
                },
              },
            );
          } catch (e) {
            if (!stop.signal.aborted) throw e;
          } finally {
            ctx.signal.removeEventListener('abort', onAbort);
          }
          return { modelId: loaded.id, scored: job.done };
        }
        for (let i = 0; i < missing.length; i += BATCH) {
          if (ctx.signal.aborted) return { scored: job.done };
          if (held.stale || this.#entries.get(store) !== entry) return { scored: job.done };
          await this.#score(store, loaded, entry.scores, missing.slice(i, i + BATCH));
          job.done = Math.min(missing.length, i + BATCH);
          progress();
        }
        return { modelId: loaded.id, scored: job.done };
      } finally {
        entry.job = null;
        lease?.release();
      }
    });
    return this.#scoringAnswer(entry);
  }

  async #score(store: ProjectStore, loaded: LoadedModel, scores: ModelScores, ids: readonly number[]): Promise<void> {
    const rows = ids.map((id) => store.documents.get(id)).filter((r) => r !== undefined);
    const out = await loaded.predictor.scoreTexts(rows.map((r) => r.text));
    rows.forEach((r, i) => scores.byDoc.set(r.id, summarise(out[i]!, scores.thresholds)));
  }
}

/** Cosine similarity of two score vectors (the model's label profile of two documents). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
