import { z } from 'zod';
import { WireError } from '../errors';
import { JobId, ProjectId, type MethodTable } from './common';
import { ExportResult } from './exports';
import { ImportResult } from './imports';
import { DemoResult } from './projects';
import { KeywordIndexResult, LabelAuditResult, QueueScoringResult } from './queue';
import { TrainingResult } from './training';

/**
 * `index`: the annotation queue's keyword index of a corpus, built in the background.
 * `label-errors`: the queue's out-of-fold pass over the training documents (likely label errors).
 */
export const JobKind = z.enum(['import', 'catalogue', 'export', 'train', 'retrain', 'evaluate', 'predict', 'demo', 'index', 'label-errors']);
export type JobKind = z.infer<typeof JobKind>;

export const JobOutcome = z.enum(['done', 'cancelled', 'failed']);
export type JobOutcome = z.infer<typeof JobOutcome>;

/**
 * A progress snapshot. The last one wins, so a dropped message costs nothing.
 * `total` is 0 when the amount of work is unknown (then the UI shows an indeterminate bar).
 */
export const JobProgress = z.object({
  jobId: JobId,
  projectId: ProjectId,
  kind: JobKind,
  phase: z.string(),
  done: z.number().min(0),
  total: z.number().min(0),
  unit: z.string(),
  message: z.string().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  etaMs: z.number().min(0).optional(),
  /**
   * Jobs of several stages (training): the whole run's share done, which only grows, and the
   * time left for all of it when it can be estimated; `done`/`total` above are the stage's.
   */
  overall: z.object({ fraction: z.number().min(0).max(1), etaMs: z.number().min(0).optional() }).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/**
 * What each kind of job returns when it is done, the `result` of its `jobs.finished`. Every job
 * runner checks its result against this table before sending it (jobs/job-runner.ts).
 */
export const jobResultSchemas = {
  import: ImportResult,
  catalogue: ImportResult,
  export: ExportResult,
  train: TrainingResult,
  retrain: TrainingResult,
  /** No job of this kind runs today (`evaluation.report` answers directly), so it has no result. */
  evaluate: z.never(),
  predict: QueueScoringResult,
  demo: DemoResult,
  index: KeywordIndexResult,
  'label-errors': LabelAuditResult,
} as const satisfies Record<JobKind, z.ZodType>;
export type JobResult<K extends JobKind = JobKind> = z.infer<(typeof jobResultSchemas)[K]>;

const finishedJob = <K extends JobKind, R extends z.ZodType>(kind: K, result: R) =>
  z.object({
    jobId: JobId,
    projectId: ProjectId,
    kind: z.literal(kind),
    outcome: JobOutcome,
    error: WireError.optional(),
    /** Present when `outcome` is `done`. */
    result: result.optional(),
    durationMs: z.number().min(0),
  });

/**
 * Sent exactly once per job. Narrow on `kind` to get the job's own result type:
 * @example if (f.kind === 'export' && f.outcome === 'done') f.result // ExportResult | undefined
 */
export const JobFinished = z.discriminatedUnion('kind', [
  finishedJob('import', jobResultSchemas.import),
  finishedJob('catalogue', jobResultSchemas.catalogue),
  finishedJob('export', jobResultSchemas.export),
  finishedJob('train', jobResultSchemas.train),
  finishedJob('retrain', jobResultSchemas.retrain),
  finishedJob('evaluate', jobResultSchemas.evaluate),
  finishedJob('predict', jobResultSchemas.predict),
  finishedJob('demo', jobResultSchemas.demo),
  finishedJob('index', jobResultSchemas.index),
  finishedJob('label-errors', jobResultSchemas['label-errors']),
]);
export type JobFinished = z.infer<typeof JobFinished>;
/** The `jobs.finished` of one kind of job. */
export type JobFinishedOf<K extends JobKind> = Extract<JobFinished, { kind: K }>;
/**
 * The result of a job that finished `done`, typed by its kind; null when it did not finish done
 * or is not of one of `kinds` (its result then means something else).
 * @example const r = doneResult(finished, 'export'); // ExportResult | null
 */
export function doneResult<K extends JobKind>(f: JobFinished, kinds: K | readonly K[]): JobResult<K> | null {
  const wanted: readonly JobKind[] = typeof kinds === 'string' ? [kinds] : kinds;
  if (f.outcome !== 'done' || !wanted.includes(f.kind)) return null;
  return ((f as JobFinishedOf<K>).result as JobResult<K> | undefined) ?? null;
}

// Every job kind has its member above: a kind added to JobKind alone fails to compile here.
const everyKindFinishes: Record<Exclude<JobKind, JobFinished['kind']>, never> = {};
void everyKindFinishes;

export const JobState = z.object({
  jobId: JobId,
  projectId: ProjectId,
  kind: JobKind,
  startedAt: z.string(),
  progress: JobProgress.nullable(),
  finished: JobFinished.nullable(),
});
export type JobState = z.infer<typeof JobState>;

export const jobMethods = {
  'jobs.list': { input: z.object({ projectId: ProjectId.optional() }).strict(), output: z.object({ jobs: z.array(JobState) }) },
  'jobs.get': { input: z.object({ jobId: JobId }).strict(), output: JobState },
  /** Idempotent: cancelling a finished or already-cancelled job is harmless. */
  'jobs.cancel': { input: z.object({ jobId: JobId }).strict(), output: z.object({ cancelled: z.boolean() }) },
} as const satisfies MethodTable;
