import type { PlantSettings } from '../../../shared/contract';
import { encoderParams } from '../../engine/models/encoder';
import type { Params } from '../../engine/models/params';
import { chunkCorpus } from '../text/encode';
import { MASK_ID, SPECIAL_TOKENS } from '../text/vocabulary';

const FIRST_REAL_TOKEN = SPECIAL_TOKENS.length;
import { encoderConfig, MAX_PRETRAIN_WINDOWS_PER_EPOCH } from './model-config';
import type { PipelineHooks } from './progress';
import { pick, runStage } from './run-stage';
import { sampleIndices } from './sample';
import type { StageStore } from './stage-store';

/**
 * Stage 0: masked-token pretraining of the encoder on the training pool's text (labelled train
 * documents and the unlabelled pool; never dev or test). Returns the encoder parameters `enc.*`.
 */
export async function pretrainStage(poolDocs: readonly Int32Array[], vocabSize: number, counts: ArrayLike<number>, s: PlantSettings, store: StageStore, hooks: PipelineHooks): Promise<Params> {
  const done = await store.load('pretrain');
  if (done) return done.params;
  const windows = chunkCorpus(poolDocs.filter((d) => d.length > 1), { windowTokens: s.maxLen }).chunks;
  const docs = sampleIndices(windows.length, MAX_PRETRAIN_WINDOWS_PER_EPOCH, s.seed).map((i) => windows[i]!);
  const encoder = encoderConfig(s, vocabSize);
  // Negatives follow unigram^0.75 (word2vec): against uniform negatives, mostly rare tokens, a
  // frequency prior alone wins and the encoder learns little (measured: loss rising, 50 % accuracy).
  const negativeCdf = new Float32Array(vocabSize);
  let mass = 0;
  for (let t = 0; t < vocabSize; t++) {
    mass += t < FIRST_REAL_TOKEN ? 0 : Math.pow(counts[t] ?? 0, 0.75);
    negativeCdf[t] = mass;
  }
  const result = await runStage(
    'pretrain',
    {
      phase: 'pretrain',
      model: { kind: 'pretrain', config: { encoder } },
      optimizer: { lr: s.lr, clipNorm: 1 },
      batch: { batchSize: s.batchSize, maxLen: s.maxLen, maskId: MASK_ID, maskRate: 0.15, negatives: 64, ...(mass > 0 ? { negativeCdf } : {}) },
      epochs: s.epochs.pretrain,
      seed: s.seed,
      ...(s.threads ? { threads: s.threads } : {}),
      device: s.device,
      backend: s.backend === 'tfjs' ? 'tfjs' : 'onnx',
      checkpoint: { path: store.checkpoint('pretrain') },
    },
    { docs },
    hooks,
  );
  const params = pick(result.params, 'enc.');
  await store.save('pretrain', params, Object.fromEntries(encoderParams(encoder).map((p) => [p.name, p.shape])), { loss: result.loss });
  return params;
}
