import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { applySettingsChanges, PlantSettings, type ModelGate, type PlantSettingsChanges } from '../../shared/contract';
import { gateDecision } from '../training/model-gate';
import { PlanterError } from '../../shared/errors';
import type { Handlers } from '../core/handlers';
import type { JobContext, ProgressReport } from '../jobs/job-runner';
import { MAX_UNLABELLED_DOCS } from '../training/load-corpus';
import { estimateSeconds, planRun, planSteps, priorSeconds, type CorpusCounts, type PlannedStage } from '../training/run-plan';
import { RunProgress } from '../training/run-progress';
import type { PipelineProgress } from '../plant/pipeline/progress';
import { fnv1a64Hex } from '../plant/text/fingerprint';
import { DB_FILE, type ProjectStore } from '../store/project-store';
import { ModelsRepo } from '../store/models-repo';
import { privatiseTree } from '../store/private-files';
import { TrainingCorpusRepo } from '../store/training-corpus-repo';
import { modelFolderName, type TrainingRunOutput } from '../training/run-training';
import { startTrainingRun, TrainingRunError } from '../training/training-runner';
import type { ServiceContext } from './context';

/**
 * Maps a pipeline progress snapshot onto the contract's `jobs.progress`: the stage's bar and the
 * whole run's, both monotone (run-progress.ts); returns what it reported.
 */
export function toJobProgress(job: JobContext, p: PipelineProgress, run: RunProgress, nowMs = performance.now()): ProgressReport {
  const metrics: Record<string, number> = {};
  if (p.loss !== undefined && Number.isFinite(p.loss)) metrics.loss = p.loss;
  if (p.metric !== undefined && p.metricName) metrics[p.metricName] = p.metric;
  const { stage, overall } = run.update(p, nowMs);
  const report: ProgressReport = {
    phase: p.stage,
    done: stage.done,
    total: stage.total,
    unit: stage.unit,
    ...(p.message ? { message: p.message } : {}),
    ...(Object.keys(metrics).length ? { metrics } : {}),
    ...(stage.etaMs !== undefined ? { etaMs: stage.etaMs } : {}),
    overall,
  };
  job.progress(report);
  return report;
}

/** Document counts of the project a training's step budget depends on (load-corpus.ts reads the same sets). */
export function corpusCounts(store: ProjectStore): CorpusCounts {
  const counts = new TrainingCorpusRepo(store.db).counts();
  return { train: counts.train, unlabelled: Math.min(MAX_UNLABELLED_DOCS, counts.unlabelled), dev: counts.dev };
}

/**
 * The plan of a training with these settings and what each stage should take: from the project's
 * last finished run of the same mode (scaled by the step budgets), null where it has none.
 */
export function planWithPriors(repo: ModelsRepo, mode: 'full' | 'retrain', settings: PlantSettings, counts: CorpusCounts): { plan: PlannedStage[]; priors: (number | null)[]; basedOnRun: number | null } {
  const plan = planRun(mode, settings, counts);
  // A run of the same mode times it best; without one, the stages a full run shares with a retrain still say something.
  const finished = [...repo.runs()].reverse().filter((r) => r.outcome === 'done' && r.stageTimings.length > 0);
  const last = finished.find((r) => r.mode === mode) ?? finished[0];
  if (!last) return { plan, priors: plan.map(() => null), basedOnRun: null };
  return { plan, priors: priorSeconds(plan, planRun(last.mode, last.settings, counts), last.stageTimings), basedOnRun: last.id };
}

/** Work folder of a run: keyed by mode and settings, so re-running the same training resumes it. */
function workDirFor(store: ProjectStore, mode: string, settings: PlantSettings, parent: number | null): string {
  const { threads: _t, device: _d, ...shaping } = settings;
  return store.path('checkpoints', `${mode}-${fnv1a64Hex(JSON.stringify({ shaping, parent })).slice(8)}`);
}

function toPlanterError(e: unknown): PlanterError {
  if (e instanceof PlanterError) return e;
  if (e instanceof TrainingRunError) {
    if (e.kind === 'PipelineCancelled') return new PlanterError('cancelled', 'training cancelled; run it again with the same settings to resume');
    if (e.kind === 'PipelineInputError') return new PlanterError('invalid-input', e.message);
    if (e.kind === 'DeviceUnavailableError') return new PlanterError('unavailable', e.message);
    if (e.kind === 'ModelFileError' || e.kind === 'CheckpointError') return new PlanterError('bad-file', e.message);
  }
  return new PlanterError('internal', `training failed: ${e instanceof Error ? e.message : String(e)}`);
}

/** The settings a training runs with: a retrain's start from the current model's; the input overrides. */
function resolveSettings(repo: ModelsRepo, mode: 'full' | 'retrain', changes: PlantSettingsChanges | undefined): { current: ReturnType<ModelsRepo['get']>; settings: PlantSettings } {
  const currentId = repo.currentId();
  const current = currentId !== null ? repo.get(currentId) : null;
  if (mode === 'retrain' && !current) throw new PlanterError('conflict', 'there is no model to retrain yet: run a full training first');
  const base = mode === 'retrain' && current ? repo.list().find((m) => m.id === current.id)!.settings : {};
  const parsed = PlantSettings.safeParse(applySettingsChanges(base, changes ?? {}));
  if (!parsed.success) throw new PlanterError('invalid-input', `settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { current, settings: parsed.data };
}

/**
 * Starts a training job (full PLANT or the few-shot loop) and records its run and model: the
 * `training.start` handler, for the app and the CLI alike (training/run-training.ts walks the path).
 */
function startTraining(s: ServiceContext, projectId: string, mode: 'full' | 'retrain', input: PlantSettingsChanges | undefined): string {
  const store = s.projects.get(projectId);
  const busy = s.jobs.running(projectId, ['train', 'retrain']);
  if (busy) throw new PlanterError('conflict', `a training is already running in this project (${busy.jobId})`);
  const repo = new ModelsRepo(store.db);
  const { current, settings } = resolveSettings(repo, mode, input);
  if (settings.device === 'cuda' && !s.capabilities.cuda) {
    throw new PlanterError('unavailable', 'CUDA is not available on this machine (no GPU or no CUDA build of onnxruntime-node); see the README, "GPU (CUDA) training"');
  }
  if (settings.backend === 'tfjs' && !s.capabilities.tfjsNode) {
    throw new PlanterError('unavailable', 'the tfjs backend needs @tensorflow/tfjs-node, which is not installed here (it downloads libtensorflow at install time); use --backend ort');
  }
  // Refuse data that cannot be trained on before anything is written (not even a failed run).
  if (new TrainingCorpusRepo(store.db).labelledTrainingDocumentCount() === 0) {
    throw new PlanterError('invalid-input', 'no training document carries a label yet: import a labelled train split or annotate and finish some documents first');
  }
  const started = repo.startRun(mode, settings);
  if ('busy' in started) throw new PlanterError('conflict', `a training is already running in this project (run ${started.busy}, perhaps in another window)`);
  const runId = started.runId;
  const workDir = workDirFor(store, mode, settings, current?.id ?? null);
  const gateMetric = repo.gateMetric();
  // Every model of the run is compared with the model current before it, not with each other.
  const gated = (out: TrainingRunOutput): ModelGate =>
    gateDecision({ metric: gateMetric, score: out.gate?.score ?? null, baseline: out.gate?.baseline ?? null, baselineModelId: current?.id ?? null });
  // Model files are written by the pipeline under the process umask: private like the rest, and
  // recorded once no import holds the write lock (store/write-gate.ts).
  const record = async (out: TrainingRunOutput, gate: ModelGate): Promise<number> => {
    privatiseTree(out.modelDir);
    await store.writes.ready();
    return repo.insert({
      kind: out.kind,
      mode,
      path: relative(store.dir, out.modelDir),
      settings: out.settings,
      metrics: out.metrics,
      parentId: mode === 'retrain' ? (current?.id ?? null) : null,
      vocabFingerprint: out.vocabFingerprint,
      summary: { labels: out.labelIds.length, vocabulary: out.vocabulary, trainDocuments: out.numTrainDocs, stageTimings: out.stageTimings, serves: out.serves, components: out.components, calibration: out.calibration, gate },
    });
  };
  const planned = planWithPriors(repo, mode, settings, corpusCounts(store));
  const run = new RunProgress(planned.plan, planned.priors);
  let lastReport: ProgressReport | null = null;
  return s.jobs.start(mode === 'full' ? 'train' : 'retrain', projectId, async (job) => {
    let early: number | null = null;
    let earlySeconds: number | null = null;
    let earlyRecorded: Promise<void> = Promise.resolve();
    // The lexical ranker's model is ready seconds into the run: it serves until the fused one replaces it.
    let earlyGate: ModelGate | null = null;
    const onModel = (out: TrainingRunOutput): void => {
      const gate = gated(out);
      earlyRecorded = record(out, gate).then((id) => announceEarly(id, out, gate));
    };
    const announceEarly = (id: number, out: TrainingRunOutput, gate: ModelGate): void => {
      // A second early model is the exact one-vs-rest ranker that replaces the tree's (lexical-stage.ts).
      const replaces = early !== null;
      early = id;
      earlySeconds = out.seconds;
      earlyGate = gate;
      // A note between stages: the bars stay where they are.
      const { metrics: _metrics, ...bars } = lastReport ?? { phase: 'lexical', done: 1, total: 1, unit: 'model' };
      const what = out.serves === 'lexical' ? (replaces ? 'keyword ranker, one model per code' : 'keyword ranker') : 'refreshed keyword ranker with the previous attention';
      job.progress({ ...bars, message: gate.becameCurrent ? `model ${early} (${what}) now serves suggestions` : `model ${early} (${what}) kept, not serving: ${gate.reason}` });
      s.models.invalidate(projectId);
      s.events.emit('projects.changed', { projectId, what: 'models' });
    };
    const handle = startTrainingRun(
      {
        mode,
        settings,
        dbFile: join(store.dir, DB_FILE),
        modelsDir: store.path('models'),
        // Named after the run, which is unique in the project even across windows.
        modelName: modelFolderName(runId),
        workDir,
        ...(current ? { previousModelDir: join(store.dir, current.path) } : {}),
        gate: { metric: gateMetric, ...(current ? { baselineModelDir: join(store.dir, current.path) } : {}) },
        ...(s.nativeBinding ? { nativeBinding: s.nativeBinding } : {}),
      },
      (p) => {
        lastReport = toJobProgress(job, p, run);
      },
      s.spawnTrainingWorker,
      { onModel, ...(s.spawnLexicalWorker ? { spawnLexicalWorker: s.spawnLexicalWorker } : {}) },
    );
    job.signal.addEventListener('abort', () => handle.cancel(), { once: true });
    let out: TrainingRunOutput;
    try {
      out = await handle.result;
    } catch (e) {
      const err = toPlanterError(e);
      repo.finishRun(runId, { outcome: err.code === 'cancelled' ? 'cancelled' : 'failed', error: err.message });
      throw err;
    }
    await earlyRecorded;
    const gate = gated(out);
    const modelId = await record(out, gate);
    repo.finishRun(runId, { outcome: 'done', modelId, stageTimings: out.stageTimings, curve: out.curve, metrics: out.metrics });
    rmSync(workDir, { recursive: true, force: true });
    s.models.invalidate(projectId);
    s.events.emit('projects.changed', { projectId, what: 'models' });
    const servingId = repo.currentId();
    return { modelId, runId, seconds: out.seconds, metrics: out.metrics, replanted: out.replanted ?? null, stageTimings: out.stageTimings, serves: out.serves, earlyModelId: early, earlySeconds, becameCurrent: gate.becameCurrent, gate, earlyGate, currentModelId: servingId };
  });
}

export function trainingHandlers(s: ServiceContext): Pick<Handlers, 'training.start' | 'training.runs' | 'models.list' | 'models.setCurrent' | 'training.policy' | 'training.setPolicy' | 'training.estimate'> {
  return {
    'training.start': async ({ projectId, mode, settings }) => ({ jobId: startTraining(s, projectId, mode, settings) }),
    'training.runs': async ({ projectId }) => ({ runs: new ModelsRepo(s.projects.get(projectId).db).runs() }),
    'models.list': async ({ projectId }) => ({ models: new ModelsRepo(s.projects.get(projectId).db).list() }),
    'training.estimate': async ({ projectId, mode, settings }) => {
      const store = s.projects.get(projectId);
      const repo = new ModelsRepo(store.db);
      const planned = planWithPriors(repo, mode, resolveSettings(repo, mode, settings).settings, corpusCounts(store));
      return { steps: planSteps(planned.plan), seconds: estimateSeconds(planned.priors), basedOnRun: planned.basedOnRun };
    },
    'training.policy': async ({ projectId }) => ({ gateMetric: new ModelsRepo(s.projects.get(projectId).db).gateMetric() }),
    'training.setPolicy': async ({ projectId, gateMetric }) => {
      new ModelsRepo(s.projects.get(projectId).db).setGateMetric(gateMetric);
      return {};
    },
    'models.setCurrent': async ({ projectId, modelId }) => {
      const repo = new ModelsRepo(s.projects.get(projectId).db);
      if (!repo.get(modelId)) throw new PlanterError('not-found', `no model ${modelId} in project ${projectId}`);
      repo.setCurrent(modelId);
      s.models.invalidate(projectId);
      s.events.emit('projects.changed', { projectId, what: 'models' });
      return {};
    },
  };
}
