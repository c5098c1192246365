/**
 * The label-errors order's evidence (issue #17): one out-of-fold audit of the training labels per
 * project, run as a `label-errors` job with progress and kept until the training labels change
 * (their stamp, store/label-audit-repo.ts). While a new pass runs the previous one keeps serving.
 */
import { auditLabels } from '../../label-errors/audit';
import { DEFAULT_OOF_OPTIONS, OofCancelled } from '../../label-errors/out-of-fold';
import type { Flag } from '../../label-errors/suspicion';
import type { JobRunner } from '../../jobs/job-runner';
import type { SpawnLexicalWorker } from '../../lexical/group-runner';
import type { LabelAuditRepo } from '../../store/label-audit-repo';
import type { ProjectStore } from '../../store/project-store';
import { PlanterError } from '../../../shared/errors';

/** One flagged label of a document, by label row id (the audit's flag, without its list positions). */
export type DocFlag = Omit<Flag, 'doc' | 'label'> & { labelId: number };

export interface AuditResult {
  /** The training-labels stamp the audit was computed from. */
  stamp: string;
  /** Grows with each finished audit of the project (orders ranked from an older one are re-ranked). */
  serial: number;
  folds: number;
  /** Training documents audited, and the flagged ones with their flags (most suspicious first). */
  documents: number;
  byDoc: Map<number, { suspicion: number; flags: DocFlag[] }>;
  labels: Map<number, { code: string; title: string }>;
  seconds: number;
}

export type AuditAnswer =
  | { state: 'ready'; result: AuditResult }
  /** A pass is running; `result` is the previous one (labels changed since), or null on the first. */
  | { state: 'running'; result: AuditResult | null; jobId: string; done: number; total: number }
  /** Too few training documents to hold one out per fold. */
  | { state: 'too-few'; documents: number; folds: number };

interface Entry {
  result: AuditResult | null;
  job: { jobId: string; stamp: string; done: number; total: number } | null;
  /** The stamp memo: read again only after an annotation write or an import. */
  memo: { key: string; stamp: string } | null;
  failed: { stamp: string; error: unknown } | null;
}

/** Fewer training documents than this per fold, and the audit says so instead of running. */
const MIN_DOCS_PER_FOLD = 2;

export class LabelAudits {
  readonly #jobs: JobRunner;
  readonly #spawnWorker: SpawnLexicalWorker | undefined;
  readonly #entries = new WeakMap<ProjectStore, Entry>();
  #serial = 0;

  constructor(jobs: JobRunner, spawnWorker?: SpawnLexicalWorker) {
    this.#jobs = jobs;
    this.#spawnWorker = spawnWorker;
  }

  /** The audit of the store's current training labels, starting its job when there is none. */
  get(projectId: string, store: ProjectStore, repo: LabelAuditRepo, changeKey: string, folds = DEFAULT_OOF_OPTIONS.folds): AuditAnswer {
    let entry = this.#entries.get(store);
    if (!entry) this.#entries.set(store, (entry = { result: null, job: null, memo: null, failed: null }));
    if (entry.memo?.key !== changeKey) entry.memo = { key: changeKey, stamp: repo.trainingLabelsStamp() };
    const stamp = entry.memo.stamp;
    if (entry.result?.stamp === stamp) return { state: 'ready', result: entry.result };
    if (entry.failed?.stamp === stamp) throw entry.failed.error;
    if (!entry.job) {
      const documents = Number(stamp.split('.')[0]);
      if (documents < folds * MIN_DOCS_PER_FOLD) return { state: 'too-few', documents, folds };
      this.#start(projectId, repo, entry, stamp, folds);
    }
    const job = entry.job!;
    return { state: 'running', result: entry.result, jobId: job.jobId, done: job.done, total: job.total };
  }

  /** The last finished audit of the store (what an order ranked from it shows). */
  latest(store: ProjectStore): AuditResult | null {
    return this.#entries.get(store)?.result ?? null;
  }

  #start(projectId: string, repo: LabelAuditRepo, entry: Entry, stamp: string, folds: number): void {
    const job = { jobId: '', stamp, done: 0, total: folds * 1000 };
    entry.job = job;
    job.jobId = this.#jobs.start('label-errors', projectId, async (ctx) => {
      const t0 = performance.now();
      try {
        const progress = (done: number, phase: string): void => {
          job.done = Math.max(job.done, done);
          ctx.progress({ phase, done: job.done, total: job.total, unit: 'steps' });
        };
        // Cancelled before it started (the project may be gone with its database).
        if (ctx.signal.aborted) return { documents: 0 };
        progress(0, 'reading the training documents');
        const set = repo.trainingSet();
        const dense = new Map(set.catalogue.map((l, i) => [l.id, i]));
        const { flags, documents } = await auditLabels(
          { texts: set.texts, docLabels: set.labels.map((ls) => ls.map((l) => dense.get(l)!)), labels: set.catalogue },
          { folds },
          {
            signal: ctx.signal,
            ...(this.#spawnWorker ? { spawnWorker: this.#spawnWorker, threads: 2 } : {}),
            onProgress: (d, t) => progress(d, `fold ${Math.min(folds, Math.floor((d * folds) / Math.max(1, t)) + 1)} of ${folds}: the lexical ranker on the other folds`),
          },
        );
        const byDoc: AuditResult['byDoc'] = new Map();
        for (const d of documents) {
          byDoc.set(set.docIds[d.doc]!, {
            suspicion: d.suspicion,
            flags: d.flags.map((f) => ({ labelId: set.catalogue[f.label]!.id, kind: f.kind, score: f.score, threshold: f.threshold, suspicion: f.suspicion, title: f.title, rankAbove: f.rankAbove, rankOf: f.rankOf })),
          });
        }
        const result: AuditResult = {
          stamp,
          serial: ++this.#serial,
          folds,
          documents: set.docIds.length,
          byDoc,
          labels: new Map(set.catalogue.map((l) => [l.id, { code: l.code, title: l.title }])),
          seconds: (performance.now() - t0) / 1000,
        };
        entry.result = result;
        return { documents: result.documents, flaggedDocuments: byDoc.size, flaggedPairs: flags.length, seconds: result.seconds };
      } catch (e) {
        if (e instanceof OofCancelled) throw new PlanterError('cancelled', 'label-errors audit cancelled');
        entry.failed = { stamp, error: e };
        throw e;
      } finally {
        entry.job = null;
      }
    });
  }
}
