/**
 * The engine's public API (docs/engine.md). Deep imports of the modules below also work and stay
 * stable; this file only gathers them.
 */
export { GraphBuilder } from './graph/builder';
export type { DType, Dim, Shape, Tensor } from './graph/types';
export { BugError } from './graph/types';
export { gradients } from './autodiff';
export { ALL_OPS } from './ops/index';
export { serialize } from './onnx/serialize';
export { appendAdam, adamScalars, resolveGroups } from './optim/adam';
export type { AdamConfig, ParamGroup } from './optim/adam';

export { buildTrainingGraph, buildEvalGraph, modelParams } from './models/index';
export type { ModelSpec } from './models/index';
export { classifierParams } from './models/classifier';
export type { ClassifierConfig } from './models/classifier';
export { encoderParams, PAD_ID } from './models/encoder';
export type { EncoderConfig } from './models/encoder';
export { l2rParams } from './models/l2r';
export type { L2RConfig } from './models/l2r';
export type { PretrainConfig } from './models/pretrain';
export { shortlistParams } from './models/shortlist';
export type { ShortlistConfig } from './models/shortlist';
export { initParams, checkParams } from './models/params';
export type { Params, ParamSpec, Init } from './models/params';

export { createTrainer } from './runtime/trainer';
export type { Trainer, TrainerOptions, StepResult, EvalResult } from './runtime/trainer';
export { runTrainingJob } from './runtime/job';
export type { TrainingJob, JobProgress, JobResult, JobHooks } from './runtime/job';
export { makeBatch, stepsPerEpoch } from './runtime/batching';
export type { TrainingData, BatchOptions } from './runtime/batching';
export { readCheckpoint, writeCheckpoint, CheckpointError } from './runtime/checkpoint';
export type { Checkpoint } from './runtime/checkpoint';
export type { Batch, TensorData } from './runtime/types';

export { createPredictor, topKIndices } from './inference/predictor';
export type { Predictor, PredictorOptions, PredictorSource, LabelScore, Evidence } from './inference/predictor';
export { exportClassifier } from './inference/export';
export { buildInferenceGraph } from './inference/graphs';
export type { InferenceMode, InferenceGraphOptions } from './inference/graphs';
export { fitShortlist } from './inference/shortlist-fit';
export type { FitShortlistOptions } from './inference/shortlist-fit';

export { listDevices, resolveDevice, DeviceUnavailableError, CUDA_HOWTO } from './device';
export type { DeviceName, DeviceInfo } from './device';
export { loadTfjsBackend, TfjsUnavailableError } from './tfjs/backend';

export { idealDcg, ndcgAtK, meanNdcgAtK } from './metrics/ndcg';
export { Rng } from './rng';
