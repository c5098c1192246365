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
