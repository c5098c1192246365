import type { ProjectStore } from '../store/project-store';
import type { ServiceContext } from './context';
import type { LoadedModel, ModelLease } from './model-cache';

/** Scores kept per document: its TOP_K best labels, and how unsure the model is about it. */
export interface DocScores {
  /** [K] model label indices, best score first. */
  labels: Int32Array;
  /** [K] their scores. */
  scores: Float32Array;
  /** See `uncertainty`: the value and the most uncertain label with its score. */
  uncertainty: number;
  uncertainLabel: number;
  uncertainScore: number;
}

/**
 * How many label scores a document keeps. The full rows ([D × L] float32) were 30 GB at 250,000
 * documents × 30,000 model labels; the orders only need each document's best labels.
 */
export const TOP_K = 32;

/** Reduces a full score row to what the queue orders use. */
export function summarise(row: Float32Array, thresholds: number | ArrayLike<number>, k = TOP_K): DocScores {
  const n = Math.min(k, row.length);
  const labels = new Int32Array(n).fill(-1);
  const scores = new Float32Array(n).fill(-Infinity);
  for (let l = 0; l < row.length; l++) {
    const s = row[l]!;
    if (!(s > scores[n - 1]!)) continue;
    let at = n - 1;
    while (at > 0 && scores[at - 1]! < s) {
      scores[at] = scores[at - 1]!;
      labels[at] = labels[at - 1]!;
      at--;
    }
    scores[at] = s;
    labels[at] = l;
  }
  const u = uncertainty(row, thresholds);
  return { labels, scores, uncertainty: u.value, uncertainLabel: u.label, uncertainScore: u.label >= 0 ? row[u.label]! : 0 };
}

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

  async get(projectId: string, store: ProjectStore, docIds: readonly number[]): Promise<ScoresAnswer> {
    const lease = await this.#s.models.lease(projectId, store);
    if (!lease) return { state: 'none' };
    let leaseGoesToJob = false;
    try {
      const { loaded } = lease;
      let entry = this.#entries.get(store);
      if (!entry || entry.scores.modelId !== loaded.id) {
        const thresholds = loaded.model.labelThresholds ?? new Float64Array(loaded.model.labels.length).fill(loaded.model.threshold);
        const labels = loaded.model.labels;
        entry = { scores: { modelId: loaded.id, threshold: loaded.model.threshold, thresholds, labelIds: loaded.labelIds, codes: labels.map((l) => l.code), titles: labels.map((l) => l.title), byDoc: new Map() }, job: null };
        this.#entries.set(store, entry);
      }
      const missing = docIds.filter((id) => !entry.scores.byDoc.has(id));
      if (missing.length === 0) return { state: 'ready', scores: entry.scores };
      if (!entry.job && missing.length <= INLINE_DOCS) {
        await this.#score(store, loaded, entry.scores, missing);
        return { state: 'ready', scores: entry.scores };
      }
      if (!entry.job) {
        this.#startJob(projectId, store, lease, entry, missing);
        leaseGoesToJob = true;
      }
      const job = entry.job!;
      return { state: 'scoring', modelId: loaded.id, jobId: job.jobId, done: job.done, total: job.total, partial: entry.scores };
    } finally {
      if (!leaseGoesToJob) lease.release();
    }
  }

  /**
   * Without loading anything: 'ready' when this model's scores are in and no scoring job runs,
   * 'scoring' while one does, 'none' before the model was asked for.
   */
  state(store: ProjectStore, modelId: number): 'ready' | 'scoring' | 'none' {
    const entry = this.#entries.get(store);
    if (!entry || entry.scores.modelId !== modelId) return 'none';
    return entry.job ? 'scoring' : 'ready';
  }

  /** Scores `missing` in a background job that holds `lease` until it ends. */
  #startJob(projectId: string, store: ProjectStore, lease: ModelLease, entry: Entry, missing: number[]): void {
    const { loaded } = lease;
    const job = { jobId: '', done: 0, total: missing.length };
    entry.job = job;
    job.jobId = this.#s.jobs.start('predict', projectId, async (ctx) => {
      try {
        for (let i = 0; i < missing.length; i += BATCH) {
          if (ctx.signal.aborted) return { scored: job.done };
          // A newer model replaced this one: its scores would be thrown away.
          if (lease.stale || this.#entries.get(store) !== entry) return { scored: job.done };
          await this.#score(store, loaded, entry.scores, missing.slice(i, i + BATCH));
          job.done = Math.min(missing.length, i + BATCH);
          ctx.progress({ phase: `scoring documents with model #${loaded.id}`, done: job.done, total: job.total, unit: 'documents' });
        }
        return { modelId: loaded.id, scored: job.done };
      } finally {
        entry.job = null;
        lease.release();
      }
    });
  }

  async #score(store: ProjectStore, loaded: LoadedModel, scores: ModelScores, ids: readonly number[]): Promise<void> {
    const rows = ids.map((id) => store.documents.get(id)).filter((r) => r !== undefined);
    const out = await loaded.predictor.scoreTexts(rows.map((r) => r.text));
    rows.forEach((r, i) => scores.byDoc.set(r.id, summarise(out[i]!, scores.thresholds)));
  }
}

/**
 * How unsure the model is about a document: the mean binary entropy of its three most uncertain
 * labels, with each score first mapped so its label's tuned threshold sits at ½ (a label scored
 * right at its threshold is the least certain). `threshold` is one for all labels or one per
 * label. Returns the entropy in [0, 1] and the most uncertain label.
 */
export function uncertainty(scores: Float32Array, threshold: number | ArrayLike<number>): { value: number; label: number } {
  const top = [0, 0, 0];
  let label = -1;
  let best = -1;
  for (let l = 0; l < scores.length; l++) {
    const s = scores[l]!;
    if (!(s > 0)) continue;
    const t = Math.min(0.99, Math.max(0.01, typeof threshold === 'number' ? threshold : threshold[l]!));
    const p = s >= t ? 0.5 + (0.5 * (s - t)) / (1 - t) : (0.5 * s) / t;
    const h = p <= 0 || p >= 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
    if (h > best) {
      best = h;
      label = l;
    }
    if (h > top[2]!) {
      top[2] = h;
      top.sort((a, b) => b - a);
    }
  }
  return { value: (top[0]! + top[1]! + top[2]!) / 3, label };
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
