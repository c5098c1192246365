import type { AppInfo, ProjectStats, ProjectSummary } from '../../../shared/contract';
import { toApiError, type Api, type ApiError } from '../api/api';
import { JobTracker } from './jobs.svelte';

export type View = 'projects' | 'overview' | 'annotate' | 'train' | 'evaluate' | 'export';
export const VIEWS: { id: View; label: string; key: string }[] = [
  { id: 'projects', label: 'Projects', key: '1' },
  { id: 'overview', label: 'Overview', key: '2' },
  { id: 'annotate', label: 'Annotate', key: '3' },
  { id: 'train', label: 'Train', key: '4' },
  { id: 'evaluate', label: 'Evaluate', key: '5' },
  { id: 'export', label: 'Export', key: '6' },
];

const PROJECT_KEY = 'planter.project';

/** App-wide state: which project is open, its stats, and the jobs in flight. */
export class AppState {
  readonly api: Api;
  readonly jobs = new JobTracker();
  info = $state.raw<AppInfo | null>(null);
  projects = $state.raw<ProjectSummary[]>([]);
  projectId = $state<string | null>(null);
  stats = $state.raw<ProjectStats | null>(null);
  view = $state<View>('overview');
  error = $state.raw<ApiError | null>(null);
  /** True once the first load finished (tests and the shell wait for it). */
  loaded = $state(false);
  /** The demo is built on first start; its job id while that runs. */
  demoJobId = $state<string | null>(null);

  project = $derived(this.projects.find((p) => p.id === this.projectId) ?? null);

  constructor(api: Api) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      this.info = await this.api.call('app.info', {});
      const { jobs } = await this.api.call('jobs.list', {});
      const demo = jobs.find((j) => j.kind === 'demo' && !j.finished);
      if (demo) {
        this.demoJobId = demo.jobId;
        void this.jobs.whenFinished(demo.jobId).then(async () => {
          this.demoJobId = null;
          this.info = await this.api.call('app.info', {});
          await this.refreshProjects();
          if (!this.projectId && this.info.defaultProjectId) {
            this.view = 'overview';
            await this.open(this.info.defaultProjectId);
          }
        });
      }
      await this.refreshProjects();
      const remembered = localStorage.getItem(PROJECT_KEY);
      const initial = this.projects.some((p) => p.id === remembered) ? remembered : this.info.defaultProjectId;
      if (initial && this.projects.some((p) => p.id === initial)) await this.open(initial);
      else this.view = 'projects';
    } catch (e) {
      this.error = toApiError(e);
    } finally {
      this.loaded = true;
    }
  }

  async refreshProjects(): Promise<void> {
    this.projects = (await this.api.call('projects.list', {})).projects;
  }

  async open(projectId: string): Promise<void> {
    this.projectId = projectId;
    localStorage.setItem(PROJECT_KEY, projectId);
    await this.refreshStats();
  }

  async refreshStats(): Promise<void> {
    if (!this.projectId) return;
    try {
      this.stats = await this.api.call('projects.stats', { projectId: this.projectId });
      this.error = null;
    } catch (e) {
      this.error = toApiError(e);
    }
  }

  /** Keeps counts fresh when an import or annotation changes the project. */
  listen(): () => void {
    const offJobs = this.jobs.listen(this.api);
    const offChanged = this.api.on('projects.changed', (c) => {
      void this.refreshProjects();
      if (c.projectId === this.projectId) void this.refreshStats();
    });
    return () => {
      offJobs();
      offChanged();
    };
  }
}
