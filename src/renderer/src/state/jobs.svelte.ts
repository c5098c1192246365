import type { JobFinished, JobProgress } from '../../../shared/contract';
import type { Api } from '../api/api';

export interface TrackedJob {
  jobId: string;
  progress: JobProgress | null;
  finished: JobFinished | null;
}

/**
 * Follows jobs the UI started (and any job it hears about): the last progress snapshot wins, and
 * `finished` is set once. `whenFinished` lets a view await the end without polling.
 */
export class JobTracker {
  jobs = $state.raw<Record<string, TrackedJob>>({});
  // Plain Map on purpose: waiters are callbacks, not state any view renders.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #waiters = new Map<string, ((f: JobFinished) => void)[]>();

  listen(api: Api): () => void {
    const offProgress = api.on('jobs.progress', (p) => this.#update(p.jobId, { progress: p }));
    const offFinished = api.on('jobs.finished', (f) => {
      this.#update(f.jobId, { finished: f });
      for (const w of this.#waiters.get(f.jobId) ?? []) w(f);
      this.#waiters.delete(f.jobId);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }

  track(jobId: string): void {
    if (!this.jobs[jobId]) this.jobs = { ...this.jobs, [jobId]: { jobId, progress: null, finished: null } };
  }

  whenFinished(jobId: string): Promise<JobFinished> {
    this.track(jobId);
    const known = this.jobs[jobId]?.finished;
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.#waiters.set(jobId, [...(this.#waiters.get(jobId) ?? []), resolve]));
  }

  /**
   * Asks the main side every `intervalMs` until the job is finished, then settles it: for a job
   * whose finished event may have been sent before this page listened. Stops once it is finished
   * by either path, or when the main side no longer knows the job.
   */
  pollUntilFinished(api: Api, jobId: string, intervalMs = 1000): void {
    this.track(jobId);
    const tick = async (): Promise<void> => {
      if (this.jobs[jobId]?.finished) return;
      try {
        const state = await api.call('jobs.get', { jobId });
        if (state.finished) return this.settle(state.finished);
      } catch {
        return;
      }
      setTimeout(() => void tick(), intervalMs);
    };
    setTimeout(() => void tick(), intervalMs);
  }

  /** A job known to the main side that finished while this page was not listening (e.g. after reload). */
  settle(f: JobFinished): void {
    this.#update(f.jobId, { finished: f });
    for (const w of this.#waiters.get(f.jobId) ?? []) w(f);
    this.#waiters.delete(f.jobId);
  }

  #update(jobId: string, patch: Partial<TrackedJob>): void {
    const prev = this.jobs[jobId] ?? { jobId, progress: null, finished: null };
    this.jobs = { ...this.jobs, [jobId]: { ...prev, ...patch } };
  }
}
