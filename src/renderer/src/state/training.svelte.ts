import { doneResult, type GateMetric, type JobFinished, type JobProgress, type MetricSet, type ModelInfo, type PlantSettingsInput, type TrainingRun } from '../../../shared/contract';
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

/** Every pipeline stage in a coder's words (the progress phases' names second), for the stage bar. */
export const STAGE_WORDS: Record<string, string> = {
  tokenize: 'Reading the documents (tokenize)',
  lexical: 'Keyword ranker (lexical)',
  exact: 'Keyword ranker, one model per code over every document (exact)',
  fusion: 'Combining and calibrating the scores (fusion)',
  shortlist: 'Finding each example\'s closest wrong codes (shortlist)',
  pretrain: 'Reading the texts to learn the vocabulary (pretrain)',
  mig: 'Words tied to each code (MIG grades)',
  l2r: 'Teaching each code where to look (learning to rank)',
  plant: 'Planting the attention',
  finetune: 'Learning the codes from your examples (fine-tune)',
  evaluate: 'Measuring on the evaluation half (evaluate)',
};

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

/** What a finished run brought: the new model, whether it became current (and why not), the metric change. */
export interface ModelChange {
  modelId: number;
  before: MetricSet | null;
  after: MetricSet | null;
  /** False when the new model was kept without becoming current (it was worse on the tuning half). */
  becameCurrent: boolean;
  reason: string | null;
}

/** The charts of a run: one per training stage, each with its own named metric. */
export const CHART_STAGES = [
  { stage: 'pretrain', title: 'Pretraining (reading the texts)', metric: null },
  { stage: 'l2r', title: 'Learning to rank (where each code looks)', metric: 'nDCG@10 on tuning documents, %' },
  // The attention model alone, before fusion and calibration: not the served model's P@5 (the header's).
  { stage: 'finetune', title: 'Fine-tuning (learning the codes)', metric: "attention model's P@5 on tuning documents, %" },
] as const;

/** A training's expected length before it starts, in words ("about 4 min on this machine"). */
export function estimateText(e: { steps: number; seconds: number | null; basedOnRun: number | null } | null): string {
  if (!e) return '';
  if (e.seconds === null) return `No time estimate yet: this project has no finished run to time it from (${e.steps.toLocaleString('en')} training steps).`;
  const m = e.seconds / 60;
  const t = m < 1 ? 'under a minute' : m < 90 ? `about ${Math.round(m)} min` : `about ${(m / 60).toFixed(1)} h`;
  return `${t} on this machine (${e.steps.toLocaleString('en')} training steps; timed from run #${e.basedOnRun})`;
}

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
  lastChange = $state.raw<ModelChange | null>(null);
  /** The expected length of the next training (the Start button's note). */
  estimate = $state.raw<{ mode: 'full' | 'retrain'; steps: number; seconds: number | null; basedOnRun: number | null } | null>(null);
  /** The metric a new model must not be worse on to become current. */
  gateMetric = $state<GateMetric>('p@5');

  running = $derived(this.jobId !== null && this.finished === null);
  current = $derived(this.models.find((m) => m.current) ?? null);

  readonly #api: Api;
  #projectId: string | null = null;
  #startedAt = 0;
  #modelBefore: ModelInfo | null = null;
  readonly #onModelReady: (change: ModelChange) => void;

  constructor(api: Api, onModelReady: (change: ModelChange) => void = () => {}) {
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
      void this.#loadExtras(projectId);
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'unknown-method') this.available = false;
      else this.error = err.message;
    }
  }

  /** The estimate of the next training and the project's gate metric (older hosts may lack them). */
  async #loadExtras(projectId: string): Promise<void> {
    const mode = this.current ? 'retrain' : 'full';
    try {
      const [e, p] = await Promise.all([this.#api.call('training.estimate', { projectId, mode }), this.#api.call('training.policy', { projectId })]);
      if (projectId !== this.#projectId) return;
      this.estimate = { mode, ...e };
      this.gateMetric = p.gateMetric;
    } catch {
      this.estimate = null;
    }
  }

  /** The estimate for a full training with the drawer's settings. */
  async estimateFull(settings: PlantSettingsInput): Promise<{ steps: number; seconds: number | null; basedOnRun: number | null } | null> {
    const projectId = this.#projectId;
    if (!projectId) return null;
    try {
      return await this.#api.call('training.estimate', { projectId, mode: 'full', settings });
    } catch {
      return null;
    }
  }

  async setGateMetric(metric: GateMetric): Promise<void> {
    const projectId = this.#projectId;
    if (!projectId) return;
    try {
      await this.#api.call('training.setPolicy', { projectId, gateMetric: metric });
      this.gateMetric = metric;
    } catch (e) {
      this.error = toApiError(e).message;
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
    // The run's own model, whether or not it became current (a worse one is kept, not served).
    const result = doneResult(f, ['train', 'retrain']);
    const made = this.models.find((m) => m.id === result?.modelId) ?? this.current;
    if (!made) return;
    const gate = result?.gate ?? made.gate;
    const change: ModelChange = { modelId: made.id, before: this.#modelBefore?.metrics ?? null, after: made.metrics, becameCurrent: gate?.becameCurrent ?? made.current, reason: gate?.reason ?? null };
    this.lastChange = change;
    this.#onModelReady(change);
  }
}
