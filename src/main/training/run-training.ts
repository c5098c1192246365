/**
 * The life of a training run, from "Train" to a stored model (each step names its file):
 *
 * 1. The Train view (renderer/src/state/training.svelte.ts) or `planter train`/`retrain`
 *    (cli/commands/train.ts) calls `training.start` (shared/contract/training.ts) through the one
 *    dispatch (app/dispatch.ts), which validates the input; handlers are typed by core/handlers.ts.
 * 2. services/training-handlers.ts `startTraining` resolves the settings, refuses what cannot train
 *    (no labelled document, no CUDA, a training already running), records the run
 *    (store/models-repo.ts `startRun`), plans its stages for the progress bars (run-plan.ts,
 *    run-progress.ts) and starts a `train`/`retrain` job (jobs/job-runner.ts): `{ jobId }` returns.
 * 3. The job calls training-runner.ts `startTrainingRun`. The app and `planter serve` run it in a
 *    worker thread (app/training-worker.ts spawns the `?nodeWorker` bundle of worker.ts, which only
 *    relays messages); `planter train` and tests run it in their own thread. Either way it is
 *    `runTraining` below, with progress, the early model and cancellation as hooks.
 * 4. `runTraining` reads the project read-only (load-corpus.ts) and runs the pipeline:
 *    plant/pipeline/train-plant.ts (full) or retrain.ts (the few-shot loop). Its stages are
 *    tokenize → lexical ranker (+ fusion: written at once and posted as the early model) → pretrain
 *    → MIG → learning-to-rank → planting → fine-tuning → evaluation → fusion. Every stage that steps
 *    goes plant/pipeline/run-stage.ts → engine/runtime/job.ts `runTrainingJob` →
 *    engine/runtime/trainer.ts, checkpointing into the run's work folder.
 * 5. The model folder is written atomically (plant/pipeline/model-files.ts) and scored on the tuning
 *    half for the gate (model-gate.ts); the output below goes back to the handler.
 * 6. The handler records the model (store/models-repo.ts `insert`, after the project's write gate),
 *    lets the gate decide whether it becomes current, finishes the run, drops the cached predictor
 *    and emits `projects.changed`; the job's result (`TrainingResult`) goes out in `jobs.finished`.
 * Cancelling (`jobs.cancel`) aborts the job, which sets the worker's shared flag: the pipeline stops
 * at the next step with `PipelineCancelled`, keeping its checkpoints, and the run is recorded as
 * cancelled; the same training started again resumes from them.
 */
import { join } from 'node:path';
import type { GateMetric, PlantSettingsInput } from '../../shared/contract';
import { tuningScore, type TuningSet } from './model-gate';
import { openDb } from '../store/db';
import type { PipelineProgress } from '../plant/pipeline/progress';
import { trainPlant } from '../plant/pipeline/train-plant';
import { retrainPlant } from '../plant/pipeline/retrain';
import { readModelDir, writeModelDir } from '../plant/pipeline/model-files';
import type { PlantModel } from '../plant/pipeline/model';
import { loadProjectCorpus } from './load-corpus';
import type { SpawnLexicalWorker } from '../lexical/group-runner';

/** What a training run needs; plain data, so it can be posted to a worker thread as is. */
export interface TrainingRunInput {
  mode: 'full' | 'retrain';
  settings: PlantSettingsInput;
  /** The project's database file (opened read-only here: the run never writes to the project). */
  dbFile: string;
  /** Where the finished model folder goes (`<project>/models`). */
  modelsDir: string;
  /** The folder name of the new model. */
  modelName: string;
  /** Stage outputs and checkpoints (a cancelled run resumes from here). */
  workDir: string;
  /** The current model's folder (required for `retrain`). */
  previousModelDir?: string;
  nativeBinding?: string;
  /**
   * Scores each model of the run on the tuning half with `metric`, and the model current before
   * the run (`baselineModelDir`, absent for a project's first training) the same way, so the
   * caller can keep a worse one from becoming current (model-gate.ts).
   */
  gate?: { metric: GateMetric; baselineModelDir?: string };
}

export interface TrainingRunOutput {
  modelDir: string;
  /** [L] label row id per model label. */
  labelIds: number[];
  kind: PlantModel['kind'];
  serves: PlantModel['serves'];
  components: NonNullable<PlantModel['components']>;
  calibration: PlantModel['calibration'] | null;
  metrics: PlantModel['metrics'];
  stageTimings: PlantModel['stageTimings'];
  curve: PlantModel['curve'];
  numTrainDocs: number;
  vocabulary: number;
  vocabFingerprint: string;
  settings: PlantModel['settings'];
  /** Labels re-planted by the few-shot loop (their first examples arrived). */
  replanted?: number;
  seconds: number;
  /** This model's and the previous current model's score on the tuning half (with `input.gate`). */
  gate?: { metric: GateMetric; score: number | null; baseline: number | null };
}

export interface TrainingRunHooks {
  onProgress?: (p: PipelineProgress) => void;
  signal?: { readonly aborted: boolean };
  /** A model written before the run ends (the lexical ranker alone), to serve while training goes on. */
  onModel?: (early: TrainingRunOutput) => void | Promise<void>;
  spawnLexicalWorker?: SpawnLexicalWorker;
}

/**
 * One training run, start to finish: read the project (read-only), run PLANT (full) or the
 * few-shot loop (retrain), write the model folder atomically. The caller records it in the
 * project database. Runs in a worker thread in the app and in-process in the CLI and tests.
 */
export async function runTraining(input: TrainingRunInput, hooks: TrainingRunHooks): Promise<TrainingRunOutput> {
  const t0 = performance.now();
  const previous = input.mode === 'retrain' && input.previousModelDir ? await readModelDir(input.previousModelDir) : null;
  const db = openDb(input.dbFile, { readonly: true, ...(input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}) });
  let project;
  try {
    // A retrained model keeps every label the previous one knew.
    // Spans are read only when the run's settings (a retrain: the previous model's, overridden) use them.
    const withSpans = ({ ...(previous?.settings ?? {}), ...input.settings } as { spanRelevance?: boolean }).spanRelevance === true;
    project = loadProjectCorpus(db, { ...(previous ? { extraLabelCodes: previous.labels.map((l) => l.code), recentSince: previous.createdAt } : {}), withSpans });
  } finally {
    db.close();
  }
  const tuning: TuningSet = { texts: project.corpus.tuning.map((d) => d.text), gold: project.corpus.tuning.map((d) => d.labels.map((l) => project.corpus.labels[l]!.code)) };
  const gate = input.gate;
  let baseline: Promise<number | null> | null = null;
  const threads = (input.settings as { threads?: number }).threads;
  const gateOf = async (model: PlantModel): Promise<TrainingRunOutput['gate']> => {
    if (!gate) return undefined;
    baseline ??= gate.baselineModelDir ? readModelDir(gate.baselineModelDir).then((m) => tuningScore(m, tuning, gate.metric, threads)) : Promise.resolve(null);
    return { metric: gate.metric, score: await tuningScore(model, tuning, gate.metric, threads), baseline: await baseline };
  };
  const describe = (model: PlantModel, modelDir: string): TrainingRunOutput => ({
    modelDir,
    labelIds: project.labelIds,
    kind: model.kind,
    serves: model.serves,
    components: model.components ?? {},
    calibration: model.calibration ?? null,
    metrics: model.metrics,
    stageTimings: model.stageTimings,
    curve: model.curve,
    numTrainDocs: model.numTrainDocs,
    vocabulary: model.vocabulary.tokens.length,
    vocabFingerprint: model.vocabulary.fingerprint,
    settings: model.settings,
    seconds: (performance.now() - t0) / 1000,
  });
  const pipelineHooks = {
    workDir: input.workDir,
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.spawnLexicalWorker ? { spawnLexicalWorker: hooks.spawnLexicalWorker } : {}),
    ...(hooks.onModel
      ? {
          onModel: async (early: PlantModel) => {
            const dir = await writeModelDir(input.modelsDir, `${input.modelName}-lexical`, early);
            const g = await gateOf(early);
            return hooks.onModel!({ ...describe(early, dir), ...(g ? { gate: g } : {}) });
          },
        }
      : {}),
  };
  let model: PlantModel;
  let replanted: number | undefined;
  if (input.mode === 'retrain') {
    if (!previous) throw new Error('retraining needs a current model; train one first');
    const previousIndex = new Map(previous.labels.map((l, i) => [l.code, i]));
    const out = await retrainPlant(previous, project.corpus, project.corpus.labels.map((l) => previousIndex.get(l.code) ?? null), input.settings, pipelineHooks);
    model = out.model;
    replanted = out.replanted;
  } else {
    model = (await trainPlant(project.corpus, input.settings, pipelineHooks)).model;
  }
  const modelDir = await writeModelDir(input.modelsDir, input.modelName, model);
  const g = await gateOf(model);
  return { ...describe(model, modelDir), ...(replanted !== undefined ? { replanted } : {}), ...(g ? { gate: g } : {}) };
}

/** Model folders are named after the training run that made them (`model-run-0007`). */
export const modelFolderName = (runId: number): string => `model-run-${String(runId).padStart(4, '0')}`;
export const workFolder = (projectDir: string, runId: number): string => join(projectDir, 'checkpoints', `run-${runId}`);
