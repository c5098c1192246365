import type { PlantSettings } from '../../../shared/contract';
import { classifierParams } from '../../engine/models/classifier';
import { initParams, type Params } from '../../engine/models/params';
import type { AdamConfig } from '../../engine/optim/adam';
import { topK } from '../../eval/scores';
import type { PlantDoc } from './corpus';
import { finetuneSchedule } from './finetune-schedule';
import { classifierConfig, MONITOR_DOCS } from './model-config';
import type { PipelineHooks } from './progress';
import { runStage } from './run-stage';
import { scoreDocuments, withPredictor } from './scoring';
import type { StageStore } from './stage-store';
import { truncate } from './tokenize-stage';

export interface FinetuneInput {
  ids: readonly Int32Array[];
  docs: readonly PlantDoc[];
  /** Per-document repeat counts (the few-shot loop oversamples new and rare-label examples). */
  repeats?: readonly number[];
  /** Per-document hard negatives (the lexical ranker's best wrong labels), in the same label ids as `docs`. */
  hardNegatives?: readonly Int32Array[];
}

export interface FinetuneResult {
  params: Params;
  /** P@5 on tuning documents after each epoch. */
  curve: { epoch: number; loss: number; p5: number | null }[];
  /** The epoch whose parameters were kept (the best monitored P@5; the last one without monitoring). */
  bestEpoch: number;
}

/**
 * Stage C + D: plant the given encoder and U (PLANT) or keep U random (LANT: `planted` has no
 * `cls.U`), then train the label-wise attention classifier with BCE. The first `frozenEpochs`
 * (or, on a large corpus, a shorter warm-up: finetune-schedule.ts) train only the head (W, b)
 * with encoder and U frozen; then everything trains, the encoder at a lower learning rate
 * (gradual unfreezing, PLANT.md Stage D).
 */
export async function finetuneStage(
  train: FinetuneInput,
  tuning: { ids: readonly Int32Array[]; docs: readonly PlantDoc[] },
  planted: Params,
  vocabSize: number,
  numLabels: number,
  s: PlantSettings,
  store: StageStore,
  hooks: PipelineHooks,
  options: { epochs?: number; frozenEpochs?: number; stageName?: string; warmStart?: Params; monitor?: boolean } = {},
): Promise<FinetuneResult> {
  const stageName = options.stageName ?? 'finetune';
  const done = await store.load(stageName);
  if (done) {
    const curve = (done.meta.curve as FinetuneResult['curve']) ?? [];
    return { params: done.params, curve, bestEpoch: (done.meta.bestEpoch as number | undefined) ?? curve.length };
  }
  const config = classifierConfig(s, vocabSize, numLabels);
  const specs = classifierParams(config);
  const start: Params = options.warmStart ? { ...options.warmStart } : { ...initParams(specs, s.seed), ...planted };
  const order: number[] = [];
  train.ids.forEach((_, i) => {
    for (let r = 0; r < (train.repeats?.[i] ?? 1); r++) order.push(i);
  });
  const hard = train.hardNegatives;
  const data = {
    docs: order.map((i) => truncate(train.ids[i]!, s.maxLen)),
    labels: order.map((i) => Int32Array.from(new Set(train.docs[i]!.labels))),
    ...(hard ? { hardNegatives: order.map((i) => hard[i] ?? new Int32Array(0)) } : {}),
  };
  const sampled = s.sampledLabels > 0 && s.sampledLabels < numLabels;
  const stepsPerEpoch = Math.max(1, Math.ceil(order.length / s.batchSize));
  const schedule = finetuneSchedule({ stepsPerEpoch, epochs: options.epochs ?? s.epochs.finetune, frozenEpochs: options.frozenEpochs ?? s.frozenEpochs, maxSteps: s.maxFinetuneSteps });
  const epochs = schedule.length;
  // The frozen warm-up and the open phase are separate jobs (each resumes its own checkpoint):
  // progress counts the stage's steps across both, so the bar never restarts at an epoch.
  const phaseSteps = (phase: 'frozen' | 'open'): number => {
    const last = schedule.filter((x) => x.phase === phase).at(-1);
    return last ? Math.min(stepsPerEpoch * last.phaseEpoch, last.maxSteps ?? Infinity) : 0;
  };
  const frozenSteps = phaseSteps('frozen');
  const stageSteps = frozenSteps + phaseSteps('open');
  const encoderNames = specs.filter((p) => p.name.startsWith('enc.')).map((p) => p.name);
  const optimizer = (phase: 'frozen' | 'open'): AdamConfig =>
    phase === 'frozen'
      ? { lr: s.lr, clipNorm: 5, groups: [{ params: [...encoderNames, 'cls.U'], lr: 0, frozen: true }, { params: ['cls.W'], lr: s.lr, weightDecay: s.weightDecay }] }
      : {
          lr: s.lr,
          clipNorm: 5,
          groups: [
            { params: encoderNames, lr: s.lr * 0.5 },
            s.uLrScale > 0 ? { params: ['cls.U'], lr: s.lr * s.uLrScale, weightDecay: s.weightDecay } : { params: ['cls.U'], lr: 0, frozen: true },
            { params: ['cls.W'], lr: s.lr, weightDecay: s.weightDecay },
          ],
        };
  const monitorIdx = tuning.ids.slice(0, MONITOR_DOCS);
  const monitorGold = tuning.docs.slice(0, MONITOR_DOCS).map((d) => d.labels);
  const p5 = async (params: Params): Promise<number | null> => {
    if (monitorIdx.length === 0 || options.monitor === false) return null;
    const scores = await withPredictor(config, params, { threads: s.threads, maxLen: s.maxLen }, (pr) => scoreDocuments(pr, monitorIdx, numLabels, { maxLen: s.maxLen, signal: hooks.signal }));
    return precisionAt5(scores, monitorGold);
  };
  const curve: FinetuneResult['curve'] = [];
  let params = start;
  // Early stopping on the tuning half: the epoch with the best monitored P@5 is the one kept.
  // Measured on CodiEsp (500 documents): PLANT's tuning P@5 rose until about epoch 20, LANT's
  // peaked at epoch 9 and fell by a third by epoch 30; one fixed count served one of them badly.
  let best: { p5: number; epoch: number; params: Params } | null = null;
  let afterFrozen: Params | null = null;
  for (let e = 1; e <= epochs; e++) {
    const { phase, phaseEpoch, maxSteps } = schedule[e - 1]!;
    const last = curve[curve.length - 1];
    const result = await runStage(
      stageName as 'finetune',
      {
        phase: stageName,
        model: { kind: 'classifier', config, sampled, ...(s.dropout > 0 ? { dropout: s.dropout } : {}) },
        optimizer: optimizer(phase),
        batch: { batchSize: s.batchSize, maxLen: s.maxLen, ...(sampled ? { sampledLabels: s.sampledLabels } : {}) },
        epochs: phaseEpoch,
        ...(maxSteps !== undefined ? { maxSteps } : {}),
        seed: s.seed + (phase === 'frozen' ? 0 : 7),
        ...(s.threads ? { threads: s.threads } : {}),
        device: s.device,
        backend: s.backend === 'tfjs' ? 'tfjs' : 'onnx',
        initParams: phase === 'frozen' ? start : (afterFrozen ?? start),
        checkpoint: { path: store.checkpoint(`${stageName}-${phase}`) },
      },
      data,
      hooks,
      { span: { offset: phase === 'frozen' ? 0 : frozenSteps, total: stageSteps }, ...(last?.p5 != null ? { metric: last.p5, metricName: 'p@5' } : {}) },
    );
    params = result.params;
    const monitored = await p5(params);
    curve.push({ epoch: e, loss: result.loss, p5: monitored });
    if (monitored !== null && (!best || monitored > best.p5)) best = { p5: monitored, epoch: e, params: copyParams(params) };
    hooks.onProgress?.({ stage: stageName as 'finetune', done: e, total: epochs, unit: 'epoch', loss: result.loss, ...(curve[curve.length - 1]!.p5 != null ? { metric: curve[curve.length - 1]!.p5!, metricName: 'p@5' } : {}), message: `epoch ${e} of ${epochs}${maxSteps !== undefined ? ` (warm-up: ${maxSteps} steps, encoder and U frozen)` : phase === 'frozen' ? ' (encoder and U frozen)' : ''}` });
    if (phase === 'frozen') afterFrozen = params;
  }
  if (best && best.epoch < epochs) {
    params = best.params;
    hooks.onProgress?.({ stage: stageName as 'finetune', done: epochs, total: epochs, unit: 'epoch', message: `kept epoch ${best.epoch} (best tuning P@5 ${best.p5.toFixed(3)})` });
  }
  await store.save(stageName, params, Object.fromEntries(specs.map((p) => [p.name, p.shape])), { curve, bestEpoch: best?.epoch ?? epochs });
  return { params, curve, bestEpoch: best?.epoch ?? epochs };
}

function copyParams(p: Params): Params {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Float32Array.from(v)]));
}

/** P@5 over documents with gold labels (the training curve's metric; the full report is evaluate()). */
export function precisionAt5(scores: readonly Float32Array[], gold: readonly number[][]): number | null {
  let sum = 0;
  let n = 0;
  scores.forEach((row, d) => {
    const g = new Set(gold[d]);
    if (g.size === 0) return;
    let hits = 0;
    for (const l of topK(row, 5)) if (g.has(l)) hits++;
    sum += hits / 5;
    n++;
  });
  return n ? sum / n : null;
}
