import { randomBytes } from 'node:crypto';
import { jobResultSchemas, type JobFinished, type JobKind, type JobProgress, type JobResult, type JobState } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { EventHub } from '../core/event-hub';
import { toWireError } from '../core/wire-error';

export interface ProgressReport {
  phase: string;
  done: number;
  total: number;
  unit: string;
  message?: string;
  metrics?: Record<string, number>;
  etaMs?: number;
  overall?: { fraction: number; etaMs?: number };
}

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  progress(p: ProgressReport): void;
}

interface Job {
  state: JobState;
  controller: AbortController;
  lastEmit: number;
  pendingTimer: NodeJS.Timeout | null;
  done: Promise<JobFinished>;
}

const PROGRESS_INTERVAL_MS = 100;
const KEEP_FINISHED = 50;

/**
 * Runs long work as jobs: each gets an AbortController, progress is throttled to 10 events a
 * second (the last value always wins), and exactly one `jobs.finished` is sent per job.
 * Cancellation is an outcome, not a failure.
 */
export class JobRunner {
  readonly #jobs = new Map<string, Job>();
  readonly #events: EventHub;

  constructor(events: EventHub) {
    this.#events = events;
  }

  /** Only one job of the given kinds may run per project at a time (e.g. two trainings). */
  running(projectId: string, kinds: readonly JobKind[]): JobState | undefined {
    for (const j of this.#jobs.values()) {
      if (j.state.projectId === projectId && kinds.includes(j.state.kind) && !j.state.finished) return j.state;
    }
    return undefined;
  }

  /**
   * Starts `work` as a job of `kind`; what it returns is that kind's result (`jobResultSchemas`),
   * checked before it is sent: a result the contract does not describe fails the job as a bug.
   */
  start<K extends JobKind>(kind: K, projectId: string, work: (ctx: JobContext) => Promise<JobResult<K>>): string {
    const jobId = `job-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    const started = performance.now();
    const state: JobState = { jobId, projectId, kind, startedAt: new Date().toISOString(), progress: null, finished: null };
    const job: Job = { state, controller, lastEmit: 0, pendingTimer: null, done: Promise.resolve(null as unknown as JobFinished) };
    this.#jobs.set(jobId, job);
    const flush = (): void => {
      job.pendingTimer = null;
      job.lastEmit = performance.now();
      if (state.progress && !state.finished) this.#events.emit('jobs.progress', state.progress);
    };
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (p) => {
        const snapshot: JobProgress = { jobId, projectId, kind, ...p };
        state.progress = snapshot;
        const since = performance.now() - job.lastEmit;
        if (since >= PROGRESS_INTERVAL_MS) flush();
        else job.pendingTimer ??= setTimeout(flush, PROGRESS_INTERVAL_MS - since);
      },
    };
    job.done = (async (): Promise<JobFinished> => {
      // Let the caller receive the job id before any event about it.
      await new Promise((r) => setImmediate(r));
      let finished: JobFinished;
      try {
        const result = await work(ctx);
        const checked = controller.signal.aborted ? null : jobResultSchemas[kind].safeParse(result);
        if (checked && !checked.success) {
          throw new Error(`the result of a ${kind} job does not match the contract: ${checked.error.issues.map((i) => `${i.path.join('.') || 'result'}: ${i.message}`).join('; ')}`);
        }
        // One member of the JobFinished union per kind: TypeScript cannot pick it for a generic K.
        finished = (checked
          ? { jobId, projectId, kind, outcome: 'done', result: checked.data, durationMs: performance.now() - started }
          : { jobId, projectId, kind, outcome: 'cancelled', durationMs: performance.now() - started }) as JobFinished;
      } catch (e) {
        const cancelled = controller.signal.aborted || (e instanceof PlanterError && e.code === 'cancelled');
        finished = cancelled
          ? { jobId, projectId, kind, outcome: 'cancelled', durationMs: performance.now() - started }
          : { jobId, projectId, kind, outcome: 'failed', error: toWireError(e, `job ${kind}`), durationMs: performance.now() - started };
      }
      if (job.pendingTimer) clearTimeout(job.pendingTimer);
      state.finished = finished;
      this.#events.emit('jobs.finished', finished);
      this.#prune();
      return finished;
    })();
    return jobId;
  }

  get(jobId: string): JobState {
    const job = this.#jobs.get(jobId);
    if (!job) throw new PlanterError('not-found', `no job ${jobId}`);
    return job.state;
  }

  list(projectId?: string): JobState[] {
    return [...this.#jobs.values()].map((j) => j.state).filter((s) => !projectId || s.projectId === projectId);
  }

  /** Idempotent: returns false when the job had already finished. */
  cancel(jobId: string): boolean {
    const job = this.#jobs.get(jobId);
    if (!job) throw new PlanterError('not-found', `no job ${jobId}`);
    if (job.state.finished) return false;
    job.controller.abort();
    return true;
  }

  /** Resolves when the job finishes (used by the CLI and tests). */
  wait(jobId: string): Promise<JobFinished> {
    const job = this.#jobs.get(jobId);
    if (!job) throw new PlanterError('not-found', `no job ${jobId}`);
    return job.done;
  }

  /** Cancels every running job and waits for them to wind down. */
  async dispose(): Promise<void> {
    const running = [...this.#jobs.values()].filter((j) => !j.state.finished);
    for (const j of running) j.controller.abort();
    await Promise.allSettled(running.map((j) => j.done));
  }

  #prune(): void {
    const finished = [...this.#jobs.values()].filter((j) => j.state.finished);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.#jobs.delete(j.state.jobId);
  }
}
