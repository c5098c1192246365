import type { JobFinished, JobProgress, MetricSet, ModelInfo, PlantSettingsInput, TrainingRun } from '../../../shared/contract';
import { toApiError, type Api } from '../api/api';

/** The PLANT stages in order (PLANT.md §2), as the progress phases name them. */
export const STAGES = [
  { id: 'pretrain', label: 'Pretrain encoder' },
  { id: 'mig', label: 'MIG grades' },
  { id: 'l2r', label: 'Learning to rank' },
  { id: 'plant', label: 'Plant attention' },
  { id: 'finetune', label: 'Fine-tune' },
  { id: 'evaluate', label: 'Evaluate' },
] as const;

/** Which stage a progress phase belongs to ("finetune epoch 3" → finetune); null for others. */
export function stageOf(phase: string): string | null {
  const p = phase.toLowerCase();
  if (p.includes('pretrain') || p.includes('mlm')) return 'pretrain';
  if (p.includes('mig') || p.includes('grade') || p.includes('vocab') || p.includes('token')) return 'mig';
  if (p.includes('l2r') || p.includes('rank')) return 'l2r';
  if (p.includes('plant')) return 'plant';
  if (p.includes('fine') || p.includes('classif') || p.includes('retrain')) return 'finetune';
  if (p.includes('eval') || p.includes('threshold')) return 'evaluate';
  return null;
}

export interface CurvePoint {
  /** Seconds since the job started. */
  t: number;
  stage: string;
  loss: number | null;
  /** The dev metric the job reports (P@5 or nDCG), when it reports one. */
  metric: number | null;
  metricName: string | null;
}

/** The headline metrics a finished model is judged by, in toast and comparison order. */
export const HEADLINE: (keyof MetricSet)[] = ['p@5', 'ndcg@5', 'micro_f1', 'macro_f1'];

export function metricLabel(key: string): string {
  return ({ 'p@1': 'P@1', 'p@3': 'P@3', 'p@5': 'P@5', 'ndcg@1': 'nDCG@1', 'ndcg@3': 'nDCG@3', 'ndcg@5': 'nDCG@5', 'psp@1': 'PSP@1', 'psp@3': 'PSP@3', 'psp@5': 'PSP@5', micro_f1: 'micro-F1', macro_f1: 'macro-F1', macro_auc: 'macro-AUC' } as Record<string, string>)[key] ?? key;
}

const MAX_POINTS = 4000;

/**
 * Training as the whole app sees it: one job at a time per project, its progress and live
 * curves (kept while the user annotates elsewhere), the run history and the models. When a run
 * ends, `onModelReady` fires (the annotate view refreshes its suggestions) with the metric change.
 */
export class TrainingState {
  jobId = $state<string | null>(null);
  mode = $state<'full' | 'retrain'>('retrain');
  progress = $state.raw<JobProgress | null>(null);
  finished = $state.raw<JobFinished | null>(null);
  points = $state.raw<CurvePoint[]>([]);
  /** Stages seen in this job, in order, with their start time. */
  stagesSeen = $state.raw<{ stage: string; t: number }[]>([]);
  runs = $state.raw<TrainingRun[]>([]);
  models = $state.raw<ModelInfo[]>([]);
  /** False when this build has no training service (the handlers are missing). */
  available = $state(true);
  error = $state<string | null>(null);
  /** Set when a run finished: the new model's headline metrics against the previous current model's. */
  lastChange = $state.raw<{ modelId: number; before: MetricSet | null; after: MetricSet | null } | null>(null);

  running = $derived(this.jobId !== null && this.finished === null);
  current = $derived(this.models.find((m) => m.current) ?? null);

  readonly #api: Api;
  #projectId: string | null = null;
  #startedAt = 0;
  #modelBefore: ModelInfo | null = null;
  readonly #onModelReady: (change: { modelId: number; before: MetricSet | null; after: MetricSet | null }) => void;

  constructor(api: Api, onModelReady: (change: { modelId: number; before: MetricSet | null; after: MetricSet | null }) => void = () => {}) {
    this.#api = api;
    this.#onModelReady = onModelReady;
  }

  /** Loads runs and models of a project, and re-attaches to a training job that is running. */
  async load(projectId: string): Promise<void> {
    if (this.#projectId !== projectId) {
      this.#projectId = projectId;
      this.jobId = null;
      this.progress = null;
      this.finished = null;
      this.points = [];
      this.stagesSeen = [];
      this.lastChange = null;
    }
    await this.refresh();
    try {
      const { jobs } = await this.#api.call('jobs.list', { projectId });
      const live = jobs.find((j) => (j.kind === 'train' || j.kind === 'retrain') && !j.finished);
      if (live && this.jobId !== live.jobId) this.#adopt(live.jobId, live.kind === 'train' ? 'full' : 'retrain', live.progress);
    } catch {
      /* the job list is a nicety here */
    }
  }

  async refresh(): Promise<void> {
    const projectId = this.#projectId;
    if (!projectId) return;
    try {
      const [runs, models] = await Promise.all([this.#api.call('training.runs', { projectId }), this.#api.call('models.list', { projectId })]);
      if (projectId !== this.#projectId) return;
      this.runs = runs.runs;
      this.models = models.models;
      this.available = true;
      this.error = null;
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'unknown-method') this.available = false;
      else this.error = err.message;
    }
  }

  async start(mode: 'full' | 'retrain', settings?: PlantSettingsInput): Promise<void> {
    const projectId = this.#projectId;
    if (!projectId || this.running) return;
    this.error = null;
    this.#modelBefore = this.current;
    try {
      const { jobId } = await this.#api.call('training.start', { projectId, mode, ...(settings ? { settings } : {}) });
      this.#adopt(jobId, mode, null);
      void this.refresh();
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'unknown-method') this.available = false;
      this.error = err.message;
    }
  }

  cancel(): void {
    if (this.jobId && this.running) void this.#api.call('jobs.cancel', { jobId: this.jobId }).catch(() => undefined);
  }

  async setCurrent(modelId: number): Promise<void> {
    const projectId = this.#projectId;
    if (!projectId) return;
    try {
      await this.#api.call('models.setCurrent', { projectId, modelId });
      await this.refresh();
    } catch (e) {
      this.error = toApiError(e).message;
    }
  }

  /** Follows training jobs of the open project, including ones started elsewhere (CLI, another window). */
  listen(): () => void {
    const offProgress = this.#api.on('jobs.progress', (p) => {
      if (p.projectId !== this.#projectId || (p.kind !== 'train' && p.kind !== 'retrain')) return;
      if (p.jobId !== this.jobId) this.#adopt(p.jobId, p.kind === 'train' ? 'full' : 'retrain', null);
      this.#onProgress(p);
    });
    const offFinished = this.#api.on('jobs.finished', (f) => {
      if (f.jobId !== this.jobId) return;
      this.finished = f;
      void this.#afterFinish(f);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }

  #adopt(jobId: string, mode: 'full' | 'retrain', progress: JobProgress | null): void {
    this.jobId = jobId;
    this.mode = mode;
    this.finished = null;
    this.points = [];
    this.stagesSeen = [];
    this.lastChange = null;
    this.#startedAt = performance.now();
    this.progress = null;
    if (progress) this.#onProgress(progress);
  }

  #onProgress(p: JobProgress): void {
    this.progress = p;
    const t = (performance.now() - this.#startedAt) / 1000;
    const stage = stageOf(p.phase) ?? p.phase;
    if (this.stagesSeen.at(-1)?.stage !== stage) this.stagesSeen = [...this.stagesSeen, { stage, t }];
    const m = p.metrics;
    if (!m) return;
    const loss = typeof m.loss === 'number' && Number.isFinite(m.loss) ? m.loss : null;
    const metricName = Object.keys(m).find((k) => k !== 'loss' && k !== 'lr' && Number.isFinite(m[k]!)) ?? null;
    const metric = metricName ? m[metricName]! : null;
    if (loss === null && metric === null) return;
    const next = [...this.points, { t, stage, loss, metric, metricName }];
    this.points = next.length > MAX_POINTS ? next.filter((_, i) => i % 2 === 0) : next;
  }

  async #afterFinish(f: JobFinished): Promise<void> {
    await this.refresh();
    if (f.outcome !== 'done') return;
    const now = this.current;
    if (!now) return;
    const change = { modelId: now.id, before: this.#modelBefore?.metrics ?? null, after: now.metrics };
    this.lastChange = change;
    this.#onModelReady(change);
  }
}
