import type { PlantSettings } from '../../../shared/contract';
import { l2rParams } from '../../engine/models/l2r';
import { initParams, type Params } from '../../engine/models/params';
import { stepsPerEpoch } from '../../engine/runtime/batching';
import type { GradeTable } from '../mig/grades';
import { trainFrequencies, type PlantDoc } from './corpus';
import { listLabels } from './l2r-lists';
import { denseGrades } from './grades-stage';
import { heldOutNdcg } from './l2r-monitor';
import { l2rConfig, L2R_BATCH, L2R_DOCS_PER_LABEL, L2R_LISTS_PER_DOC, MAX_L2R_DOCS, MIN_L2R_DOCS, MONITOR_DOCS } from './model-config';
import type { PipelineHooks } from './progress';
import { pick, runStage } from './run-stage';
import { coveringSample } from './l2r-sample';
import { l2rEpochs, MAX_L2R_STEPS } from './l2r-schedule';
import { sampleIndices } from './sample';
import type { StageStore } from './stage-store';
import { truncate } from './tokenize-stage';

export interface L2RResult {
  params: Params;
  /** NDCG@10 on held-out (tuning) documents before training and after each epoch. */
  ndcg: (number | null)[];
}

/**
 * Stage B: learning-to-rank pretraining of the attention. s(t, l) = h_t·u_l is trained to rank a
 * document's tokens by the label's grades (ApproxNDCG or LambdaRank@15), for each training
 * document's gold labels plus sampled other labels (so zero-shot labels get lists too).
 * Returns `enc.*` and `cls.U`, ready to plant.
 */
export async function l2rStage(
  train: { ids: readonly Int32Array[]; docs: readonly PlantDoc[] },
  unlabelled: readonly Int32Array[],
  heldOut: { ids: readonly Int32Array[]; docs: readonly PlantDoc[] },
  table: GradeTable,
  encoder: Params,
  s: PlantSettings,
  store: StageStore,
  hooks: PipelineHooks,
): Promise<L2RResult> {
  const done = await store.load('l2r');
  if (done) return { params: done.params, ndcg: (done.meta.ndcg as (number | null)[]) ?? [] };
  const V = table.vocabSize;
  const L = table.numLabels;
  const config = l2rConfig(s, V, L);
  // Lists come from the training documents and, when there is room, the unlabelled pool: the
  // targets are grades, so any document holding a label's graded tokens teaches that label.
  const trainIdx = coveringSample(
    train.docs.map((d) => d.labels),
    L,
    { perLabel: L2R_DOCS_PER_LABEL, minDocs: MIN_L2R_DOCS, maxDocs: MAX_L2R_DOCS, seed: s.seed + 1 },
  );
  const poolIdx = sampleIndices(unlabelled.length, Math.max(0, MIN_L2R_DOCS - trainIdx.length), s.seed + 2);
  const docs = [...trainIdx.map((i) => truncate(train.ids[i]!, L2R_BATCH.maxLen)), ...poolIdx.map((i) => truncate(unlabelled[i]!, L2R_BATCH.maxLen))];
  const gold = [...trainIdx.map((i) => [...new Set(train.docs[i]!.labels)]), ...poolIdx.map(() => [])];
  const lists = listLabels(docs, gold, table, trainFrequencies(train.docs as PlantDoc[], L), L2R_LISTS_PER_DOC);
  const keep = lists.flatMap((ls, i) => (ls.length > 0 ? [i] : []));
  const data = { docs: keep.map((i) => docs[i]!), labels: keep.map((i) => lists[i]!), grades: denseGrades(table) };
  const monitor = async (params: Params): Promise<number | null> =>
    heldOutNdcg(config, params, heldOut.ids.map((d) => truncate(d, L2R_BATCH.maxLen)), heldOut.docs.map((d) => d.labels), table, { maxDocs: MONITOR_DOCS, threads: s.threads });
  const batch = { batchSize: L2R_BATCH.batchSize, maxLen: L2R_BATCH.maxLen, sampledLabels: L2R_BATCH.lists };
  const perEpoch = stepsPerEpoch(data, batch);
  const epochs = l2rEpochs(perEpoch, s.epochs.l2r);
  // Each epoch is a job resuming the last one's checkpoint: progress counts the stage's steps.
  const span = { offset: 0, total: Math.min(perEpoch * epochs, MAX_L2R_STEPS) };
  const initial = { ...encoder };
  const ndcg: (number | null)[] = [];
  // Before training: the pretrained encoder with a random U (what LANT starts from).
  const startParams: Params = { ...initParams(l2rParams(config), s.seed), ...initial };
  ndcg.push(await monitor(startParams));
  hooks.onProgress?.({ stage: 'l2r', done: 0, total: epochs, unit: 'epoch', ...(ndcg[0] !== null ? { metric: ndcg[0]!, metricName: 'ndcg@10' } : {}), message: 'held-out NDCG@10 before training' });
  let params = startParams;
  for (let e = 1; e <= epochs; e++) {
    const result = await runStage(
      'l2r',
      {
        phase: 'l2r',
        model: { kind: 'l2r', config },
        optimizer: { lr: s.lr, clipNorm: 1 },
        batch,
        epochs: e,
        maxSteps: MAX_L2R_STEPS,
        seed: s.seed,
        ...(s.threads ? { threads: s.threads } : {}),
        device: s.device,
        backend: s.backend === 'tfjs' ? 'tfjs' : 'onnx',
        initParams: startParams,
        checkpoint: { path: store.checkpoint('l2r') },
      },
      data,
      hooks,
      { span, ...(ndcg[e - 1] != null ? { metric: ndcg[e - 1]!, metricName: 'ndcg@10' } : {}) },
    );
    params = result.params;
    ndcg.push(await monitor(params));
  }
  const out = pick(params, 'enc.', 'cls.U');
  await store.save('l2r', out, Object.fromEntries(l2rParams(config).map((p) => [p.name, p.shape])), { ndcg });
  return { params: out, ndcg };
}
