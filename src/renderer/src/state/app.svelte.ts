import type { AppInfo, ProjectStats, ProjectSummary } from '../../../shared/contract';
import { toApiError, type Api, type ApiError, type ConnectionState } from '../api/api';
import { formatMetric } from '../lib/format';
import { AnnotateState } from './annotate.svelte';
import { CatalogueState } from './catalogue.svelte';
import { JobTracker } from './jobs.svelte';
import { Toasts } from './toasts.svelte';
import { HEADLINE, metricLabel, TrainingState } from './training.svelte';

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
  readonly toasts = new Toasts();
  readonly catalogue: CatalogueState;
  readonly training: TrainingState;
  /** Bumped when the current model changes (views refresh suggestions and reports). */
  modelRevision = $state(0);
  /** The open project's annotation session (queue, document, history); kept across view switches. */
  annotate = $state.raw<AnnotateState | null>(null);
  info = $state.raw<AppInfo | null>(null);
  projects = $state.raw<ProjectSummary[]>([]);
  projectId = $state<string | null>(null);
  stats = $state.raw<ProjectStats | null>(null);
  view = $state<View>('overview');
  /** The project guidelines are open over the current view (G, or the sidebar button). */
  guidelinesOpen = $state(false);
  error = $state.raw<ApiError | null>(null);
  /** True once the first load finished (tests and the shell wait for it). */
  loaded = $state(false);
  /** The demo is built on first start; its job id while that runs. */
  demoJobId = $state<string | null>(null);
  /** Browser mode: whether the web host answers (the shell shows a banner while it does not). */
  connection = $state<ConnectionState>('connected');

  project = $derived(this.projects.find((p) => p.id === this.projectId) ?? null);

  constructor(api: Api, catalogue?: CatalogueState) {
    this.api = api;
    this.catalogue = catalogue ?? new CatalogueState(api);
    // The main side announces the new model with projects.changed {what: 'models'} (suggestions
    // refresh then); here only the toast with the metric change.
    this.training = new TrainingState(api, (change) => {
      const deltas = HEADLINE.flatMap((k) => {
        const after = change.after?.[k];
        if (after === null || after === undefined) return [];
        const before = change.before?.[k];
        return [`${metricLabel(k)} ${before === null || before === undefined ? '' : `${formatMetric(before)} → `}${formatMetric(after)}`];
      });
      if (change.becameCurrent) this.toasts.show('success', `Model #${change.modelId} is ready — suggestions refreshed`, deltas.join(' · ') || 'No dev split to measure on.');
      else this.toasts.show('info', `Model #${change.modelId} kept, not made current`, `${change.reason ?? 'it was worse on the tuning half'}. Train view: "Use #${change.modelId}" switches to it.`, 15_000);
    });
  }

  async load(): Promise<void> {
    try {
      // Events first: a job that ends after this is heard, one that ended before is in the lists.
      await this.api.ready();
      // Jobs before info: a demo build that ends between the two calls then shows up as the
      // default project in info, instead of being missed by both (the page stayed on Projects).
      const { jobs } = await this.api.call('jobs.list', {});
      this.info = await this.api.call('app.info', {});
      const demo = jobs.find((j) => j.kind === 'demo' && !j.finished);
      if (demo) {
        this.demoJobId = demo.jobId;
        // Polling too: without an event stream (ready() gave up waiting) the end is found this way.
        this.jobs.pollUntilFinished(this.api, demo.jobId);
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
    if (this.annotate?.projectId !== projectId) this.annotate = new AnnotateState(this.api, () => projectId);
    void this.catalogue.ensure(projectId);
    void this.training.load(projectId);
    await this.refreshStats();
  }

  /** After a project was deleted: the list again, and away from it if it was open. */
  async projectDeleted(id: string): Promise<void> {
    await this.refreshProjects();
    if (this.projectId !== id) return;
    this.projectId = null;
    this.stats = null;
    this.annotate = null;
    localStorage.removeItem(PROJECT_KEY);
    this.view = 'projects';
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

  /**
   * Keeps counts fresh when an import or annotation changes the project. Stats take a few hundred
   * ms on the main side for a 94k-label catalogue, so after annotations they are refreshed only
   * once the annotator pauses (and at once when the overview is on screen).
   */
  listen(): () => void {
    const offJobs = this.jobs.listen(this.api);
    const offCatalogue = this.catalogue.listen();
    const offTraining = this.training.listen();
    // The queue's model scores come from a background job: re-rank when it is done.
    const offScored = this.api.on('jobs.finished', (f) => {
      // The model's scores or the keyword index are in: the queue's order is better now.
      if ((f.kind === 'predict' || f.kind === 'index' || f.kind === 'label-errors') && f.projectId === this.projectId && f.outcome === 'done') void this.annotate?.loadQueue();
    });
    // The page on screen came from a kept order while a better one ranked: that one is in now.
    const offReordered = this.api.on('queue.reordered', (r) => {
      if (r.projectId === this.projectId && this.annotate?.queue.settings.strategy === r.strategy) void this.annotate.loadQueue();
    });
    // When the host answers again after a loss, what the page shows may be stale: read it again.
    const offConnection =
      this.api.onConnection?.((state) => {
        const was = this.connection;
        this.connection = state;
        if (state === 'connected' && was !== 'connected') void this.#resync();
      }) ?? (() => {});
    const offChanged = this.api.on('projects.changed', (c) => {
      if (c.what !== 'annotations') void this.refreshProjects();
      if (c.projectId !== this.projectId) return;
      if (c.what === 'models') {
        this.#modelChanged();
        void this.training.refresh();
      }
      if (c.what === 'annotations' && this.view !== 'overview') this.#refreshStatsLater();
      else void this.refreshStats();
    });
    return () => {
      offConnection();
      offJobs();
      offCatalogue();
      offTraining();
      offChanged();
      offScored();
      offReordered();
      if (this.#statsTimer) clearTimeout(this.#statsTimer);
    };
  }

  async #resync(): Promise<void> {
    try {
      await this.refreshProjects();
      await this.refreshStats();
      void this.training.refresh();
      void this.annotate?.loadQueue();
    } catch {
      // Still not answering: the banner stays until it does.
    }
  }

  #modelChanged(): void {
    this.modelRevision++;
    void this.annotate?.modelChanged();
  }

  #statsTimer: ReturnType<typeof setTimeout> | null = null;
  #refreshStatsLater(): void {
    if (this.#statsTimer) clearTimeout(this.#statsTimer);
    this.#statsTimer = setTimeout(() => void this.refreshStats(), 5000);
  }
}
