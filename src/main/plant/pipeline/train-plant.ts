import { PlantSettings, type PlantSettingsInput } from '../../../shared/contract';
import type { Params } from '../../engine/models/params';
import { fnv1a64Hex } from '../text/fingerprint';
import { trainFrequencies, type PlantCorpus } from './corpus';
import { evaluateStage, type Evaluation } from './evaluate-stage';
import { finetuneStage } from './finetune-stage';
import { computeGrades, type GradesResult } from './grades-stage';
import { l2rStage } from './l2r-stage';
import type { PlantModel } from './model';
import { classifierConfig, L2R_DATA_RULE } from './model-config';
import { calibrateZeroShotBiases, mergeParams, remapDocs, splitLabels, subParams } from './zero-shot';
import { sampleIndices } from './sample';
import { scoreDocuments, withPredictor } from './scoring';
import { classifierParams } from '../../engine/models/classifier';
import { initParams } from '../../engine/models/params';
import { pretrainStage } from './pretrain-stage';
import { checkCancelled, PipelineInputError, type PipelineHooks, type StageName } from './progress';
import { StageStore } from './stage-store';
import { buildEncodedCorpus, type EncodedCorpus } from './tokenize-stage';
import type { SpawnLexicalWorker } from '../../lexical/group-runner';
import { exactLexicalStage, exactStageWork, hardNegativesOf, lexicalStage, type LexicalStageResult } from './lexical-stage';
import { fusionStage, type FusionStageResult } from './fusion-stage';
import type { Thresholds } from '../../eval/thresholds';

export interface TrainPlantHooks extends PipelineHooks {
  /** Worker threads for the lexical ranker (absent: it trains in this thread). */
  spawnLexicalWorker?: SpawnLexicalWorker;
  /**
   * A model ready to serve before the run ends: the lexical ranker alone, seconds into the run,
   * while the attention stages go on (the caller stores it and makes it current).
   */
  onModel?: (model: PlantModel) => Promise<void> | void;
}

export interface TrainPlantResult {
  model: PlantModel;
  /** The attention model alone, scored over every label (the `plant`/`lant` rows of the quality bench). */
  evaluation: Evaluation;
  /** The lexical model served first (null when the lexical ranker is disabled). */
  lexicalModel: PlantModel | null;
  /** Candidates and recall of the lexical shortlist (null when disabled). */
  lexical: LexicalStageResult | null;
  /** Stage A/A' output (absent for LANT, which never uses grades). */
  grades: GradesResult | null;
  encoded: EncodedCorpus;
}

/** Identifies a run's data: resuming reuses finished stages only when the data did not change. */
export function runKey(corpus: PlantCorpus, vocabFingerprint: string): string {
  const labels = fnv1a64Hex(corpus.labels.map((l) => l.code).join('\n'));
  const train = fnv1a64Hex(corpus.train.map((d) => `${d.labels.join(',')}:${d.text.length}${d.spans?.length ? `:${d.spans.map((p) => `${p.label}@${p.start}-${p.end}`).join(',')}` : ''}`).join('\n'));
  return fnv1a64Hex(JSON.stringify({ labels, train, unlabelled: corpus.unlabelled.length, vocabFingerprint }));
}

/** The settings each stage depends on (including those of the stages it starts from). */
export function stageKeys(s: PlantSettings): Record<string, unknown> {
  const { device: _d, threads: _t, backend: _b, ...shaping } = s;
  const pretrain = { seed: s.seed, numbers: s.numbers, maxLen: s.maxLen, dim: s.dim, kernel: s.kernel, batchSize: s.batchSize, lr: s.lr, epochs: s.epochs.pretrain, pretrain: s.pretrain };
  // Span grades change Stage B's targets; the key is unchanged when they are off.
  const l2r = { pretrain, epochs: s.epochs.l2r, loss: s.l2rLoss, data: L2R_DATA_RULE, ...(s.spanRelevance ? { spanRelevance: true } : {}) };
  const lexical = { seed: s.seed, lexical: s.lexical, vocabMinCount: s.vocabMinCount, vocabMaxSize: s.vocabMaxSize, numbers: s.numbers };
  // Fine-tuning starts from Stage B's output, so a change there must not reuse an old fine-tune.
  return { pretrain, l2r, lexical, finetune: { ...shaping, l2rData: L2R_DATA_RULE } };
}

/**
 * PLANT end to end (PLANT.md §2): tokenize → Stage 0 pretraining → Stage A/A' MIG and grades →
 * Stage B learning-to-rank → Stage C planting → Stage D fine-tuning → evaluation. With
 * `plant: false` the same run skips A/A'/B and fine-tunes with a random U (LANT). Every training
 * stage checkpoints into `hooks.workDir`, so a cancelled or killed run resumes where it stopped.
 */
export async function trainPlant(corpus: PlantCorpus, settings: PlantSettingsInput, hooks: TrainPlantHooks): Promise<TrainPlantResult> {
  const s = PlantSettings.parse(settings);
  if (corpus.labels.length === 0) throw new PipelineInputError('the project has no labels used by any document: import labelled documents or annotate some first');
  if (corpus.train.length === 0) throw new PipelineInputError('the project has no training documents: import a train split or finish annotating some documents');
  if (!corpus.train.some((d) => d.labels.length > 0)) throw new PipelineInputError('no training document carries a label: a label set with no positives cannot be learned');
  const timings: { stage: string; seconds: number }[] = [];
  const curve: PlantModel['curve'] = [];
  const timed = async <T>(stage: StageName, f: () => Promise<T> | T): Promise<T> => {
    checkCancelled(hooks, stage);
    hooks.onProgress?.({ stage, done: 0, total: 0, unit: 'step', message: `starting ${stage}` });
    const t0 = performance.now();
    const out = await f();
    timings.push({ stage, seconds: (performance.now() - t0) / 1000 });
    return out;
  };
  const forward = hooks.onProgress;
  const tracked: PipelineHooks = {
    ...hooks,
    onProgress: (p) => {
      if (p.unit === 'epoch' && (p.loss !== undefined || p.metric !== undefined)) curve.push({ stage: p.stage, step: p.done, loss: p.loss ?? null, metric: p.metric ?? null });
      forward?.(p);
    },
  };

  const encoded = await timed('tokenize', () => buildEncodedCorpus(corpus, s));
  const V = encoded.vocab.size;
  const L = corpus.labels.length;
  const store = new StageStore(hooks.workDir, runKey(corpus, encoded.vocab.fingerprint), stageKeys(s));
  const trainFreq = trainFrequencies(corpus.train, L);
  const config = classifierConfig(s, V, L);
  const describe = (serves: PlantModel['serves'], parts: { params: Params; thresholds: Thresholds; metrics: PlantModel['metrics'] }): PlantModel => ({
    format: 'planter-model',
    version: 1,
    kind: s.plant ? 'plant' : 'lant',
    serves,
    createdAt: new Date().toISOString(),
    settings: s,
    vocabulary: encoded.vocab.toJSON(),
    labels: corpus.labels.map((l) => ({ code: l.code, title: l.title })),
    config,
    params: parts.params,
    threshold: parts.thresholds.global,
    ...(parts.thresholds.perLabel ? { labelThresholds: Array.from(parts.thresholds.perLabel) } : {}),
    trainFreq: Array.from(trainFreq),
    numTrainDocs: corpus.train.length,
    metrics: parts.metrics,
    stageTimings: [...timings],
    l2rNdcg: [],
    curve: [...curve],
  });

  // The lexical ranker first: in seconds it serves suggestions, then it is the attention model's shortlist.
  let lexical: LexicalStageResult | null = null;
  let lexicalFusion: FusionStageResult | null = null;
  let lexicalModel: PlantModel | null = null;
  if (s.lexical.enabled) {
    const serveLexical = async (lx: LexicalStageResult): Promise<{ fusion: FusionStageResult; model: PlantModel }> => {
      const f = await timed('fusion', () =>
        fusionStage({ numLabels: L, trainFreq, numTrainDocs: corpus.train.length, tuning: { ids: encoded.tuning, docs: corpus.tuning, candidates: lx.tuning }, evaluation: { ids: encoded.evaluation, docs: corpus.evaluation, candidates: lx.evaluation } }, tracked),
      );
      const model: PlantModel = {
        ...describe('lexical', { params: {}, thresholds: f.thresholds, metrics: f.report }),
        lexical: lx.model,
        fusion: f.fusion,
        components: { lexical: f.report },
        calibration: f.calibration,
      };
      await hooks.onModel?.(model);
      return { fusion: f, model };
    };
    const first = await timed('lexical', () => lexicalStage(corpus, encoded, s, store, tracked));
    ({ fusion: lexicalFusion, model: lexicalModel } = await serveLexical(first));
    lexical = first;
    // The tree served the first suggestions; where one-vs-rest is affordable it replaces the tree.
    const exact = exactStageWork(first, encoded, s) === null ? null : await timed('exact', () => exactLexicalStage(first, corpus, encoded, s, store, tracked));
    if (exact) {
      ({ fusion: lexicalFusion, model: lexicalModel } = await serveLexical(exact));
      lexical = exact;
    }
  }
  // After the lexical model serves: minutes at 45,000 documents that the first suggestions need not wait for.
  const hardNegatives = lexical && s.lexical.hardNegatives > 0 ? await timed('shortlist', () => hardNegativesOf(lexical!, corpus, encoded, s, tracked)) : undefined;

  let encoder: Params = {};
  if (s.pretrain && s.epochs.pretrain > 0) {
    encoder = await timed('pretrain', () => pretrainStage([...encoded.train, ...encoded.unlabelled], V, encoded.vocab.counts, s, store, tracked));
  }
  let grades: GradesResult | null = null;
  let planted: Params = encoder;
  let l2rNdcg: (number | null)[] = [];
  if (s.plant) {
    grades = await timed('mig', () => computeGrades(corpus, encoded.train, encoded.vocab, { spanRelevance: s.spanRelevance }));
    const g = grades;
    if (s.epochs.l2r > 0) {
      const l2r = await timed('l2r', () => l2rStage({ ids: encoded.train, docs: corpus.train }, encoded.unlabelled, { ids: encoded.tuning, docs: corpus.tuning }, g.table, encoder, s, store, tracked));
      l2rNdcg = l2r.ndcg;
      l2r.ndcg.forEach((v, i) => curve.push({ stage: 'l2r', step: i, loss: null, metric: v }));
      planted = s.plantHead ? { ...l2r.params, 'cls.W': Float32Array.from(l2r.params['cls.U']!) } : l2r.params;
    }
  }
  // Stage C is the hand-over itself: `planted` holds the encoder and (for PLANT) U.
  await timed('plant', () => undefined);
  const fine = await timed('finetune', async () => {
    const split = splitLabels(trainFreq, s.plantedMaxDocs);
    const repeats = corpus.train.map((d) => (d.labels.some((l) => trainFreq[l]! <= 5) ? s.rareRepeats : 1));
    if (!(s.plant && s.zeroShotStayPlanted && split.trained.length < L && 'cls.U' in planted)) {
      return finetuneStage({ ids: encoded.train, docs: corpus.train, repeats, ...(hardNegatives ? { hardNegatives } : {}) }, { ids: encoded.tuning, docs: corpus.tuning }, planted, V, L, s, store, tracked);
    }
    // Zero-shot labels sit out fine-tuning (zero-shot.ts): train the sub-model of labels with data.
    const full = { ...initParams(classifierParams(config), s.seed), ...planted };
    const subHard = hardNegatives?.map((h) => Int32Array.from(Array.from(h, (l) => split.rowOf[l]!).filter((r) => r >= 0)));
    const sub = await finetuneStage({ ids: encoded.train, docs: remapDocs(corpus.train, split), repeats, ...(subHard ? { hardNegatives: subHard } : {}) }, { ids: encoded.tuning, docs: remapDocs(corpus.tuning, split) }, subParams(full, split, s.dim), V, split.trained.length, s, store, tracked);
    const merged = mergeParams(full, sub.params, split, trainFreq, s.dim);
    const sample = sampleIndices(corpus.train.length, 300, s.seed + 3);
    const scores = await withPredictor(config, merged, { threads: s.threads, maxLen: s.maxLen }, (pr) => scoreDocuments(pr, sample.map((i) => encoded.train[i]!), L, { maxLen: s.maxLen, signal: hooks.signal }));
    calibrateZeroShotBiases(merged, scores, sample.map((i) => corpus.train[i]!), split, trainFreq);
    return { ...sub, params: merged };
  });
  const evaluation = await timed('evaluate', () =>
    evaluateStage(config, fine.params, { ids: encoded.tuning, docs: corpus.tuning }, { ids: encoded.evaluation, docs: corpus.evaluation }, trainFreq, corpus.train.length, { maxLen: s.maxLen, threads: s.threads }, tracked),
  );
  if (!lexical) {
    const model: PlantModel = { ...describe('attention', { params: fine.params, thresholds: evaluation.thresholds, metrics: evaluation.report }), stageTimings: timings, l2rNdcg, curve };
    return { model, evaluation, grades, encoded, lexicalModel: null, lexical: null };
  }
  const lx = lexical;
  const fused = await timed('fusion', () =>
    fusionStage(
      {
        numLabels: L,
        trainFreq,
        numTrainDocs: corpus.train.length,
        tuning: { ids: encoded.tuning, docs: corpus.tuning, candidates: lx.tuning },
        evaluation: { ids: encoded.evaluation, docs: corpus.evaluation, candidates: lx.evaluation },
        attention: { config, params: fine.params, maxLen: s.maxLen, threads: s.threads },
      },
      tracked,
    ),
  );
  const model: PlantModel = {
    ...describe('fused', { params: fine.params, thresholds: fused.thresholds, metrics: fused.report }),
    lexical: lx.model,
    fusion: fused.fusion,
    components: { lexical: lexicalFusion?.report ?? null, attention: evaluation.report },
    calibration: fused.calibration,
    stageTimings: timings,
    l2rNdcg,
    curve,
  };
  return { model, evaluation, grades, encoded, lexicalModel, lexical };
}
