/**
 * One keyword build per project and corpus version (queue/keyword-build.ts), started on first
 * need and run as an `index` job, so the UI sees its progress and asks for the queue again when it
 * ends. A new import or catalogue makes a new version: the old build is cancelled.
 */
import type { ProjectStore } from '../../store/project-store';
import { QueueRepo } from '../../store/queue-repo';
import type { JobRunner } from '../../jobs/job-runner';
import { KeywordBuild } from './keyword-build';
import { fileLabelTokenStore } from './label-token-cache';

const PROGRESS_MS = 250;

export interface RunningBuild {
  version: string;
  build: KeywordBuild;
  jobId: string;
}

export class KeywordBuilds {
  readonly #jobs: JobRunner;
  readonly #builds = new WeakMap<ProjectStore, RunningBuild>();

  constructor(jobs: JobRunner) {
    this.#jobs = jobs;
  }

  /**
   * Starts the build when a project is opened (the overview), so the queue's first page finds
   * it under way: "in the background" from the coder's point of view.
   */
  warm(projectId: string, store: ProjectStore): void {
    this.of(projectId, store, new QueueRepo(store.db));
  }

  /** The build for the store's current corpus, started when there is none. */
  of(projectId: string, store: ProjectStore, repo: QueueRepo, version = repo.corpusVersion()): RunningBuild {
    const kept = this.#builds.get(store);
    if (kept && kept.version === version && kept.build.phase !== 'failed') return kept;
    kept?.build.cancel();
    // The catalogue's tokens are kept between processes: a cold start's first page waits on them.
    const build = new KeywordBuild(repo, { labelCache: fileLabelTokenStore(store.path('cache', 'keyword-labels.bin')) });
    const running: RunningBuild = { version, build, jobId: '' };
    this.#builds.set(store, running);
    running.jobId = this.#jobs.start('index', projectId, async (job) => {
      const report = (): void => job.progress({ phase: `indexing documents for keyword evidence (${build.phase})`, done: build.indexedDocs, total: build.totalDocs, unit: 'documents' });
      const timer = setInterval(report, PROGRESS_MS);
      const stop = (): void => build.cancel();
      job.signal.addEventListener('abort', stop);
      try {
        await build.finished;
        if (build.error) throw build.error;
        report();
        return { documents: build.indexedDocs, labels: build.labels?.size ?? 0, complete: build.complete };
      } finally {
        clearInterval(timer);
        job.signal.removeEventListener('abort', stop);
        // The job ends only when the token cache is written: services disposed after it leave no write behind.
        await build.cacheWritten;
      }
    });
    return running;
  }
}
