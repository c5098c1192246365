import { z } from 'zod';
import { ExportDestination } from './exports';
import { JobStarted, ProjectId, RowId, Split, type MethodTable } from './common';

/**
 * The lexical ranker (docs/method.md, "Lexical ranker and fusion"): word 1–2-gram TF-IDF and
 * L2-regularised linear models per label (one-vs-rest, or a label tree on large catalogues),
 * trained by dual coordinate descent. It serves the first suggestions within seconds, is the
 * shortlist the attention model scores, and is fused with it.
 */
export const LexicalSettings = z
  .object({
    /** false: the attention model alone, as before the ranker existed (no shortlist, no fusion). */
    enabled: z.boolean().default(true),
    /** Loss of every linear model: squared hinge (liblinear's L2-loss SVM, the default) or logistic. */
    loss: z.enum(['squaredHinge', 'logistic']).default('squaredHinge'),
    /** Regularisation C (larger: fits the training documents more closely). */
    C: z.number().positive().max(1000).default(1),
    /**
     * Weights smaller than this in magnitude are dropped after training (model size; 0.03 halves
     * lexical.bin against 0.01 at no measured cost; 0.035 keeps EURLEX57K-45,000's file, neighbour
     * index included, under 300 MB at the same served quality: docs/benchmarks.md).
     */
    prune: z.number().min(0).max(1).default(0.035),
    /** 'auto': exact one-vs-rest while that is cheap enough, else the label tree. */
    structure: z.enum(['auto', 'flat', 'tree']).default('auto'),
    /** null: every linear model learns a bias (liblinear's -B 1); a number: no bias, scores offset by it. */
    fixedOffset: z.number().min(-10).max(0).nullable().default(null),
    /**
     * With 'auto', when the first ranker is a label tree (one-vs-rest would delay the first
     * suggestions), exact one-vs-rest is trained after the tree's model serves, while labels ×
     * the training documents' TF-IDF non-zeros is at most this; 0: keep the tree. EURLEX57K-45,000
     * (4,108 × 24.7 M ≈ 1.0 × 10¹¹): served P@5 70.4 → 71.0 in ~30 more minutes on 2 cores; the
     * limit keeps the stage under ~40 minutes there (its solver work grows with this product).
     */
    exactWorkLimit: z.number().min(0).max(1e14).default(1.2e11),
    /** Label tree: most labels in one leaf cluster. */
    leafSize: z.number().int().min(2).max(10_000).default(100),
    /** Label tree: nodes kept at each level of the search. */
    beam: z.number().int().min(1).max(1000).default(20),
    /** Candidates per document from the ranker: what the attention model scores and the fusion ranks. */
    shortlist: z.number().int().min(1).max(2000).default(100),
    /** Extra candidates among labels without training documents, by description similarity. */
    zeroShot: z.number().int().min(0).max(2000).default(20),
    /**
     * Nearest training documents (TF-IDF cosine) whose labels vote beside the ranker, as fusion
     * features; 0: none. They matter for rare labels: EURLEX57K-45,000 lexical few-shot P@5 11.5 →
     * 14.3 with 25 (bench/lexical-scale.ts --knn).
     */
    neighbours: z.number().int().min(0).max(200).default(25),
    /** Labels voted by the neighbours that join a document's candidates when the ranker left them out. */
    neighbourCandidates: z.number().int().min(0).max(500).default(20),
    /** Fine-tuning: each document's best-ranked wrong labels that join its batch as negatives. */
    hardNegatives: z.number().int().min(0).max(512).default(8),
    /** TF-IDF: a word or word pair must occur in this many training documents. */
    minDf: z.number().int().min(1).max(1000).default(2),
    /** TF-IDF: at most this many features (the most frequent). */
    maxFeatures: z.number().int().min(1000).max(5_000_000).default(500_000),
    /**
     * TF-IDF document frequencies (and minDf) over the unlabelled pool too. Off: labelled
     * training documents only, so more pool text never changes the ranker (CodiEsp-500: ranker
     * P@5 31.8 with the pool's 2,751 documents, 34.8 without; bench/lexical-scale.ts).
     */
    idfFromPool: z.boolean().default(false),
  })
  .strict();
export type LexicalSettings = z.infer<typeof LexicalSettings>;

/**
 * PLANT training settings (../shared/method/PLANT.md). Every field has a default chosen for a
 * 2-core CPU; the UI's settings drawer and `planter train` flags map onto these names.
 */
export const PlantSettings = z
  .object({
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(13),
    /** false = LANT: the same classifier with a random U (the ablation switch, `--no-plant`). */
    plant: z.boolean().default(true),
    /**
     * Planter's extension of Stage C: also start each label's head W from its planted query U,
     * so a label scores its attended evidence from the first step (PLANT's paper starts W random).
     */
    plantHead: z.boolean().default(true),
    /** Stage 0, masked-token pretraining of the encoder on train + unlabelled pool text (`--no-pretrain`). */
    pretrain: z.boolean().default(true),
    /** Tokens per chunk: longer documents are chunked and scored as the max over chunks. */
    maxLen: z.number().int().min(16).max(2048).default(512),
    dim: z.number().int().min(8).max(1024).default(128),
    kernel: z.number().int().min(1).max(9).default(3),
    vocabMinCount: z.number().int().min(1).max(1000).default(2),
    vocabMaxSize: z.number().int().min(100).max(500_000).default(50_000),
    /**
     * How the tokenizer treats numbers in a new vocabulary: 'keep' the digits ("No 1408/71" stays
     * itself), 'shape' them ("no 0000/00"), or 'class' (purely numeric tokens → <num>). References
     * to other acts and code numbers are evidence: EURLEX57K-45,000 lexical P@5 69.4 with 'shape',
     * 70.3 with 'keep' (bench/lexical-scale.ts --numbers). A model keeps the rule it was trained with.
     */
    numbers: z.enum(['keep', 'shape', 'class']).default('keep'),
    batchSize: z.number().int().min(1).max(512).default(32),
    epochs: z
      .object({
        pretrain: z.number().int().min(0).max(100).default(1),
        l2r: z.number().int().min(0).max(100).default(3),
        finetune: z.number().int().min(1).max(500).default(20),
      })
      .default({ pretrain: 1, l2r: 3, finetune: 20 }),
    /** Learning-to-rank loss of Stage B. */
    l2rLoss: z.enum(['approxNdcg', 'lambdaRank']).default('approxNdcg'),
    /**
     * Upper bound on fine-tuning steps, rounded up to whole epochs: large corpora get fewer epochs
     * (45k EURLEX documents are 1,613 steps an epoch at batch 32), small ones the full count. Where
     * whole frozen epochs would take over a tenth of it, the frozen warm-up is cut to that tenth.
     */
    maxFinetuneSteps: z.number().int().min(1).max(1_000_000).default(3000),
    /** Label rows per training batch (positives + sampled negatives); 0 = all labels. */
    sampledLabels: z.number().int().min(0).max(100_000).default(512),
    /** Epochs with the encoder and U frozen before gradual unfreezing (Stage D). */
    frozenEpochs: z.number().int().min(0).max(50).default(1),
    lr: z.number().positive().max(1).default(0.005),
    /**
     * Fine-tuning: decoupled (AdamW) weight decay of the label heads W and queries U; biases and the
     * encoder are not decayed. 0 = none (the measured default; see docs/method.md).
     */
    weightDecay: z.number().min(0).max(1).default(0),
    /**
     * Fine-tuning: share of the encoder's features zeroed at each step (inverted dropout; inference
     * is unchanged). 0 = none, the default; not measured yet (docs/method.md).
     */
    dropout: z.number().min(0).max(0.9).default(0),
    /**
     * Learning rate of the attention queries U in fine-tuning, relative to \`lr\` (0 keeps U frozen).
     * BCE's negatives dominate for a rare label, and through U they teach it to look at whatever
     * lowers its score (stopwords): keeping U near its planted value preserves where to look.
     */
    uLrScale: z.number().min(0).max(10).default(1),
    /**
     * PLANT: labels without training documents sit out fine-tuning and keep their planted query
     * (from descriptions and MIG): as pure negatives, BCE would only teach them where not to look.
     */
    zeroShotStayPlanted: z.boolean().default(true),
    /**
     * With zeroShotStayPlanted: labels with at most this many training documents also keep their
     * planted rows. 0 (only labels without documents stay planted): on EURLEX57K with 5,000
     * documents, labels with one document kept planted ranked at chance (macro-AUC 0.59; 0.70
     * fine-tuned). On CodiEsp 0 gave a lower P@5 in every run, near the run-to-run spread
     * (docs/method.md): a per-project choice on the tuning half is the open alternative.
     */
    plantedMaxDocs: z.number().int().min(0).max(50).default(0),
    /** Fine-tuning: documents carrying a label with 1–5 training documents are seen this many times an epoch. */
    rareRepeats: z.number().int().min(1).max(10).default(3),
    /** Fine-tuning: U learns where to look from a label's positive documents only (see docs/method.md). */
    attentionFromPositives: z.boolean().default(false),
    /**
     * Stage A': tokens inside a coder's evidence span for a label on a training document go to the
     * top of that label's grades (issue #17; spans on dev are never read). Measured on the Spanish
     * demo in docs/benchmarks.md.
     */
    spanRelevance: z.boolean().default(false),
    lexical: LexicalSettings.default(LexicalSettings.parse({})),
    device: z.enum(['cpu', 'cuda']).default('cpu'),
    backend: z.enum(['ort', 'tfjs']).default('ort'),
    threads: z.number().int().min(1).max(64).optional(),
  })
  .strict();
export type PlantSettings = z.infer<typeof PlantSettings>;
export type PlantSettingsInput = z.input<typeof PlantSettings>;

/**
 * A schema of changes to an object schema: every field optional and nothing filled in (nested
 * objects likewise), so a parsed change names only what the caller changed. `PlantSettings.partial()`
 * would fill every default and so overwrite the settings a retrain starts from.
 */
function changesOf(schema: z.ZodObject): z.ZodObject {
  const fields = Object.entries(schema.shape).map(([key, field]): [string, z.ZodType] => {
    let inner: z.ZodType = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
    if (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
    if (inner instanceof z.ZodObject) inner = changesOf(inner);
    return [key, inner.optional()];
  });
  return z.object(Object.fromEntries(fields)).strict();
}

/** What a training request may change of the settings it starts from: any field, nested ones by field. */
export type PlantSettingsChanges = {
  [K in keyof PlantSettings]?: NonNullable<PlantSettings[K]> extends Record<string, unknown> ? Partial<PlantSettings[K]> : PlantSettings[K];
};
export const PlantSettingsChanges = changesOf(PlantSettings) as unknown as z.ZodType<PlantSettingsChanges>;

/** `base` with `changes` applied, nested objects field by field (a change to `epochs.finetune` keeps `epochs.l2r`). */
export function applySettingsChanges(base: Partial<PlantSettings>, changes: PlantSettingsChanges): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const before = out[key];
    const nested = typeof value === 'object' && value !== null && !Array.isArray(value) && typeof before === 'object' && before !== null;
    out[key] = nested ? { ...(before as object), ...(value as object) } : value;
  }
  return out;
}

export const MetricValue = z.number().nullable();
const MetricKeys = {
  'p@1': MetricValue,
  'p@3': MetricValue,
  'p@5': MetricValue,
  'ndcg@1': MetricValue,
  'ndcg@3': MetricValue,
  'ndcg@5': MetricValue,
  'psp@1': MetricValue,
  'psp@3': MetricValue,
  'psp@5': MetricValue,
  micro_f1: MetricValue,
  macro_f1: MetricValue,
  macro_auc: MetricValue,
};
export const MetricSet = z.object(MetricKeys);
export type MetricSet = z.infer<typeof MetricSet>;
export const BucketMetrics = z.object({ ...MetricKeys, labels: z.number().int().min(0) });

/**
 * The shape of `planter eval --json`: overall metrics and the same per training-frequency bucket.
 * Every metric is a fraction in [0, 1] (null when undefined); text shows them as percentages.
 */
export const EvalReport = z.object({
  ...MetricKeys,
  buckets: z.object({ zero: BucketMetrics, few: BucketMetrics, mid: BucketMetrics, head: BucketMetrics }),
});
export type EvalReport = z.infer<typeof EvalReport>;

export const LabelEvalRow = z.object({
  labelId: RowId,
  code: z.string(),
  title: z.string(),
  trainCount: z.number().int().min(0),
  support: z.number().int().min(0),
  tp: z.number().int().min(0),
  fp: z.number().int().min(0),
  fn: z.number().int().min(0),
  precision: MetricValue,
  recall: MetricValue,
  f1: MetricValue,
});
export type LabelEvalRow = z.infer<typeof LabelEvalRow>;

export const StageTiming = z.object({ stage: z.string(), seconds: z.number().min(0) });

/** What answers suggestions: the fusion of both models, the lexical ranker alone, or the attention model alone. */
export const ServedModel = z.enum(['fused', 'lexical', 'attention']);
export type ServedModel = z.infer<typeof ServedModel>;

/** Reliability of the served probabilities on the evaluation half (each document's top 15 suggestions). */
export const Calibration = z.object({
  /** Expected calibration error (fraction, 0–1). */
  ece: z.number().nullable(),
  pairs: z.number().int().min(0),
  bins: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number().min(0), confidence: z.number().nullable(), accuracy: z.number().nullable() })),
});
export type Calibration = z.infer<typeof Calibration>;

/**
 * The metric a new model must not be worse on (on the tuning half) to become current. P@5 by
 * default: it ranks, so it does not depend on the decision thresholds each model tunes on that
 * same half (micro-F1 there would favour whichever model fitted its thresholds to it), and it is
 * the headline metric of the Train view.
 */
export const GateMetric = z.enum(['p@5', 'micro_f1', 'macro_f1']);
export type GateMetric = z.infer<typeof GateMetric>;
export const DEFAULT_GATE_METRIC: GateMetric = 'p@5';

/** Why a model did or did not become current when its run recorded it. */
export const ModelGate = z.object({
  becameCurrent: z.boolean(),
  metric: GateMetric,
  /** The new model's and the previous current model's score on the tuning half (null: not measured). */
  score: z.number().nullable(),
  baseline: z.number().nullable(),
  /** The model that was current before the run (null: this was the project's first). */
  baselineModelId: RowId.nullable(),
  /** Why it was kept without becoming current, or a note on why it became current unchecked. */
  reason: z.string().nullable(),
});
export type ModelGate = z.infer<typeof ModelGate>;

export const ModelInfo = z.object({
  id: RowId,
  createdAt: z.string(),
  /** 'plant' or 'lant' (random U), and whether this came from the few-shot loop. */
  kind: z.enum(['plant', 'lant']),
  mode: z.enum(['full', 'retrain']),
  serves: ServedModel,
  parentId: RowId.nullable(),
  labels: z.number().int().min(0),
  vocabulary: z.number().int().min(0),
  trainDocuments: z.number().int().min(0),
  settings: PlantSettings,
  /** Metrics on the evaluation half of dev (null when the project has no dev split). */
  metrics: EvalReport.nullable(),
  stageTimings: z.array(StageTiming),
  /** Metrics of the parts alone on the evaluation half (the lexical ranker, the attention model). */
  components: z.object({ lexical: EvalReport.nullable().optional(), attention: EvalReport.nullable().optional() }),
  calibration: Calibration.nullable(),
  current: z.boolean(),
  /** How it fared against the model current before its run; null for models recorded before the check existed. */
  gate: ModelGate.nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const TrainingRun = z.object({
  id: RowId,
  mode: z.enum(['full', 'retrain']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: z.enum(['running', 'done', 'cancelled', 'failed']),
  modelId: RowId.nullable(),
  error: z.string().nullable(),
  settings: PlantSettings,
  stageTimings: z.array(StageTiming),
  /** Loss and dev-metric points for the curves: one per reported step / evaluation. */
  curve: z.array(z.object({ stage: z.string(), step: z.number(), loss: z.number().nullable(), metric: z.number().nullable() })),
});
export type TrainingRun = z.infer<typeof TrainingRun>;

/** The result of a `train` or `retrain` job (services/training-handlers.ts), in `jobs.finished`. */
export const TrainingResult = z.object({
  modelId: RowId,
  runId: RowId,
  seconds: z.number().min(0),
  /** On the evaluation half; null without a dev split. */
  metrics: EvalReport.nullable(),
  /** Labels the few-shot loop re-planted (their first examples arrived); null for a full run. */
  replanted: z.number().int().min(0).nullable(),
  stageTimings: z.array(StageTiming),
  serves: ServedModel,
  /** The lexical ranker's model that served while the attention model trained (null: none). */
  earlyModelId: RowId.nullable(),
  /** Seconds from the start of the run until the early model was recorded. */
  earlySeconds: z.number().min(0).nullable(),
  /** False when the new model was worse on the tuning half than the current one and was kept without becoming current. */
  becameCurrent: z.boolean(),
  gate: ModelGate,
  earlyGate: ModelGate.nullable(),
  /** The model serving once the run ended (the new one, or the one it did not beat). */
  currentModelId: RowId.nullable(),
});
export type TrainingResult = z.infer<typeof TrainingResult>;

export const Suggestion = z.object({
  labelId: RowId,
  code: z.string(),
  title: z.string(),
  /**
   * The model's probability that the label is right, in [0, 1]: calibrated on the tuning half for
   * fused and lexical models; the attention model's sigmoid score for models without the ranker.
   */
  score: z.number().min(0).max(1),
  /** True when the score clears the threshold tuned on the tuning split. */
  assigned: z.boolean(),
  trainCount: z.number().int().min(0),
});
export type Suggestion = z.infer<typeof Suggestion>;

/** Attention evidence: character ranges of the most attended tokens of one label in one document. */
export const EvidenceSpan = z.object({ start: z.number().int().min(0), end: z.number().int().min(0), weight: z.number().min(0).max(1) });

/** `evaluation.report` before the first model: nothing to evaluate yet, and why. */
export const NoModelYet = z.object({ modelId: z.null(), split: Split, noModel: z.string() });

export const trainingMethods = {
  /** `full`: all PLANT stages; `retrain`: the few-shot loop warm-started from the current model. */
  'training.start': {
    input: z.object({ projectId: ProjectId, mode: z.enum(['full', 'retrain']), settings: PlantSettingsChanges.optional() }).strict(),
    output: JobStarted,
  },
  'training.runs': { input: z.object({ projectId: ProjectId }).strict(), output: z.object({ runs: z.array(TrainingRun) }) },
  'models.list': { input: z.object({ projectId: ProjectId }).strict(), output: z.object({ models: z.array(ModelInfo) }) },
  /**
   * What a training would take before it starts: its training steps (the step budget of every
   * stage) and, from the project's last finished run of the same mode scaled by the step budgets,
   * its seconds on this machine (null with no such run: the first training measures it).
   */
  'training.estimate': {
    input: z.object({ projectId: ProjectId, mode: z.enum(['full', 'retrain']), settings: PlantSettingsChanges.optional() }).strict(),
    output: z.object({ steps: z.number().int().min(0), seconds: z.number().min(0).nullable(), basedOnRun: RowId.nullable() }),
  },
  /** The project's rule for a new model to become current (its metric on the tuning half). */
  'training.policy': { input: z.object({ projectId: ProjectId }).strict(), output: z.object({ gateMetric: GateMetric }) },
  'training.setPolicy': { input: z.object({ projectId: ProjectId, gateMetric: GateMetric }).strict(), output: z.object({}) },
  'models.setCurrent': { input: z.object({ projectId: ProjectId, modelId: RowId }).strict(), output: z.object({}) },
  'suggestions.get': {
    input: z.object({ projectId: ProjectId, docId: RowId, top: z.number().int().min(1).max(100).default(15) }).strict(),
    output: z.object({ modelId: RowId.nullable(), labels: z.array(Suggestion) }),
  },
  /**
   * The current model's top labels for texts that are not in the project (`planter predict`), in
   * the order given. `score` is the model's probability as is; `assigned` compares it with the
   * label's tuned threshold. With `evidence: k`, each label also gets up to k readable attended
   * spans of its text and the readable words that raised its lexical score. No model yet is a
   * normal answer (`modelId: null`), as in `evaluation.report`.
   * @example { projectId: 'demo', texts: ['chest pain on exertion'], top: 5 }
   */
  'models.predict': {
    input: z
      .object({
        projectId: ProjectId,
        texts: z.array(z.string().max(1_000_000)).min(1).max(100),
        top: z.number().int().min(1).max(1000).default(10),
        evidence: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
    output: z.union([
      z.object({ modelId: z.null(), noModel: z.string() }),
      z.object({
        modelId: RowId,
        predictions: z.array(
          z.object({
            labels: z.array(
              z.object({
                code: z.string(),
                score: z.number(),
                assigned: z.boolean(),
                spans: z.array(EvidenceSpan).optional(),
                terms: z.array(z.object({ text: z.string(), weight: z.number() })).optional(),
              }),
            ),
          }),
        ),
      }),
    ]),
  },
  'evidence.get': {
    input: z.object({ projectId: ProjectId, docId: RowId, labelIds: z.array(RowId).min(1).max(50), k: z.number().int().min(1).max(50).default(8) }).strict(),
    output: z.object({
      modelId: RowId.nullable(),
      labels: z.array(
        z.object({
          labelId: RowId,
          score: z.number(),
          /** Attended tokens (models with an attention part). */
          spans: z.array(EvidenceSpan),
          /** The document's words and word pairs that raised the label's lexical score, where they occur (models with the ranker). */
          terms: z.array(z.object({ text: z.string(), weight: z.number(), spans: z.array(z.object({ start: z.number().int().min(0), end: z.number().int().min(0) })) })).default([]),
          /**
           * Coded documents of the project that read most like this one and carry the label, most
           * alike first (models whose ranker votes by neighbours): why the neighbours raised it.
           */
          similar: z.array(z.object({ docId: RowId, similarity: z.number().min(0).max(1), excerpt: z.string() })).default([]),
        }),
      ),
    }),
  },
  /**
   * The evaluation of a model on a split; without `modelId`, of the current model. A project
   * without a model yet is a normal state, not an error: the reply then has `modelId: null` and
   * says so in `noModel` (a 404 showed up as a console error in browser mode, issue #14).
   */
  'evaluation.report': {
    input: z.object({ projectId: ProjectId, modelId: RowId.optional(), split: Split.default('dev') }).strict(),
    output: z.union([NoModelYet, z.object({
      modelId: RowId,
      split: Split,
      documents: z.number().int().min(0),
      report: EvalReport,
      perLabel: z.array(LabelEvalRow),
      /** Labels with gold support that the model never assigns at its threshold. */
      neverPredicted: z.array(RowId),
      threshold: z.number(),
      /** What the model serves, and how well its probabilities match reality on these documents (each one's top 15 suggestions). */
      serves: ServedModel,
      calibration: Calibration.nullable(),
      /** False when the split was too large to keep every score: each label's AUC then comes from a histogram of its scores. */
      aucExact: z.boolean(),
    })]),
  },
  'exports.model': {
    input: z.object({ projectId: ProjectId, modelId: RowId.optional(), destination: ExportDestination }).strict(),
    output: JobStarted,
  },
} as const satisfies MethodTable;
