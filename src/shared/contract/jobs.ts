import { z } from 'zod';
import { WireError } from '../errors';
import { JobId, ProjectId, type MethodTable } from './common';

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

/** Sent exactly once per job. `result` is the job kind's own result object (see each area's contract). */
export const JobFinished = z.object({
  jobId: JobId,
  projectId: ProjectId,
  kind: JobKind,
  outcome: JobOutcome,
  error: WireError.optional(),
  result: z.unknown().optional(),
  durationMs: z.number().min(0),
});
export type JobFinished = z.infer<typeof JobFinished>;

export const JobState = z.object({
  jobId: JobId,
  projectId: ProjectId,
  kind: JobKind,
  startedAt: z.string(),
  progress: JobProgress.nullable(),
  finished: JobFinished.nullable(),
});
export type JobState = z.infer<typeof JobState>;

export const JobStarted = z.object({ jobId: JobId });

export const jobMethods = {
  'jobs.list': { input: z.object({ projectId: ProjectId.optional() }).strict(), output: z.object({ jobs: z.array(JobState) }) },
  'jobs.get': { input: z.object({ jobId: JobId }).strict(), output: JobState },
  /** Idempotent: cancelling a finished or already-cancelled job is harmless. */
  'jobs.cancel': { input: z.object({ jobId: JobId }).strict(), output: z.object({ cancelled: z.boolean() }) },
} as const satisfies MethodTable;
