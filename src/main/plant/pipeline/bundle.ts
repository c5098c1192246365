import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { fsyncDir } from '../../fs/atomic-write';
import { writeFileDurable } from './durable';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { exportClassifier } from '../../engine/inference/export';
import { Vocabulary, type VocabularyJson } from '../text/vocabulary';
import { modelCard } from './model-card';
import { thresholdOf, type PlantModel, type ServedModel } from './model';
import { encodeLexicalModel, decodeLexicalModel } from '../../lexical/format';
import { checkFusionModel, type FusionModel } from '../../fusion/fusion';
import type { LexicalModel, ShortlistOptions } from '../../lexical/model';
import { shortlistOf, type PredictorParts } from './predict';

/** What `labels.json` of an exported bundle holds. */
export interface BundleLabels {
  format: 'planter-labels';
  version: 1;
  /** What the bundle serves (absent in bundles exported before the lexical ranker: 'attention'). */
  serves?: ServedModel;
  /** Decision threshold on the sigmoid scores (tuned on the tuning half of dev). */
  threshold: number;
  /** The vocabulary the model was trained with: vocab.json must match it. */
  vocabFingerprint: string;
  vocabSize: number;
  /** Each label's own decision threshold (per training-frequency bucket); `threshold` is the global fallback. */
  labels: { index: number; code: string; title: string; trainCount: number; threshold?: number }[];
}

/** What `vocab.json` holds: the vocabulary (with tokenizer settings and fingerprint) and the window length. */
export interface BundleVocab extends VocabularyJson {
  maxLen: number;
}

export const BUNDLE_FILES = ['model.onnx', 'labels.json', 'vocab.json', 'model-card.md'] as const;
/** Optional fifth file: the same weights in the evidence graph, used by `planter predict --explain`. */
export const EXPLAIN_FILE = 'model-explain.onnx';
/** Fused bundles: the attention graph over given labels only (the lexical shortlist). */
export const SUBSET_FILE = 'model-subset.onnx';
/** Fused and lexical bundles: the lexical ranker (docs/lexical-format.md) and the fusion weights. */
export const LEXICAL_BUNDLE_FILE = 'lexical.bin';
export const FUSION_FILE = 'fusion.json';

/** What `fusion.json` holds: the fusion's weights and the shortlist it reads. */
export interface BundleFusion extends FusionModel {
  format: 'planter-fusion';
  shortlist: ShortlistOptions;
}

const filesOf = (serves: ServedModel): string[] => [
  ...(serves !== 'lexical' ? ['model.onnx', EXPLAIN_FILE] : []),
  ...(serves === 'fused' ? [SUBSET_FILE] : []),
  ...(serves !== 'attention' ? [LEXICAL_BUNDLE_FILE, FUSION_FILE] : []),
  'labels.json',
  'vocab.json',
  'model-card.md',
];

/**
 * Exports a model as a self-contained bundle, written to a temp folder and renamed into place:
 * - attention (models with one): `model.onnx` (forward graph with the weights baked in: inputs
 *   `token_ids` [B, T] int64 and `mask` [B, T] float32; output `scores` [B, L]), `model-explain.onnx`,
 *   and for fused models `model-subset.onnx` (extra input `label_ids` [B, C]; output `logits` [B, C]);
 * - lexical (fused and lexical models): `lexical.bin` (docs/lexical-format.md) and `fusion.json`;
 * - always `labels.json`, `vocab.json` and `model-card.md` (which names both parts).
 */
export function exportBundle(model: PlantModel, outDir: string, extra: { projectName?: string } = {}): string[] {
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(outDir)}.${randomBytes(4).toString('hex')}.tmp`);
  mkdirSync(tmp);
  try {
    if (model.serves !== 'lexical') {
      writeFileDurable(join(tmp, 'model.onnx'), exportClassifier(model.config, model.params, 'exact'));
      // The evidence graph (extra input label_ids [B, C]; outputs scores and the most attended tokens).
      writeFileDurable(join(tmp, EXPLAIN_FILE), exportClassifier(model.config, model.params, 'explain'));
    }
    if (model.serves === 'fused') writeFileDurable(join(tmp, SUBSET_FILE), exportClassifier(model.config, model.params, 'subset'));
    if (model.serves !== 'attention') {
      if (!model.lexical || !model.fusion) throw new Error(`a ${model.serves} model without its lexical ranker or fusion cannot be exported`);
      writeFileDurable(join(tmp, LEXICAL_BUNDLE_FILE), encodeLexicalModel(model.lexical));
      const fusion: BundleFusion = { format: 'planter-fusion', ...model.fusion, shortlist: shortlistOf(model.settings) };
      writeFileDurable(join(tmp, FUSION_FILE), JSON.stringify(fusion, null, 1));
    }
    const labels: BundleLabels = {
      format: 'planter-labels',
      version: 1,
      serves: model.serves,
      threshold: model.threshold,
      vocabFingerprint: model.vocabulary.fingerprint,
      vocabSize: model.vocabulary.tokens.length,
      labels: model.labels.map((l, i) => ({ index: i, code: l.code, title: l.title, trainCount: model.trainFreq[i] ?? 0, threshold: thresholdOf(model, i) })),
    };
    writeFileDurable(join(tmp, 'labels.json'), JSON.stringify(labels, null, 1));
    const vocab: BundleVocab = { ...model.vocabulary, maxLen: model.settings.maxLen };
    writeFileDurable(join(tmp, 'vocab.json'), JSON.stringify(vocab));
    writeFileDurable(join(tmp, 'model-card.md'), modelCard(model, extra));
    fsyncDir(tmp);
    replaceFolder(tmp, outDir);
    fsyncDir(parent);
    return filesOf(model.serves).map((f) => join(outDir, f));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

const backupOf = (dir: string): string => join(dirname(dir), `.${basename(dir)}.previous`);

/**
 * Puts `fresh` in place of `target` so that some whole bundle is always there: the old one is
 * moved aside first (not deleted), restored if the swap fails, and deleted only once the new one is
 * in place. A crash between the two renames leaves the old one aside; `recoverFolder` (called on
 * every export and load) puts it back.
 */
function replaceFolder(fresh: string, target: string): void {
  recoverFolder(target);
  const backup = backupOf(target);
  const hadOld = existsSync(target);
  if (hadOld) {
    rmSync(backup, { recursive: true, force: true });
    renameSync(target, backup);
  }
  try {
    renameSync(fresh, target);
  } catch (e) {
    if (hadOld) renameSync(backup, target);
    throw e;
  }
  if (hadOld) rmSync(backup, { recursive: true, force: true });
}

/** Restores a bundle left aside by an export that was killed mid-swap. */
export function recoverFolder(target: string): void {
  const backup = backupOf(target);
  if (!existsSync(target) && existsSync(backup)) renameSync(backup, target);
}

/** A bundle read back for prediction, checked for consistency between its files. */
export interface LoadedBundle {
  serves: ServedModel;
  /** The attention graphs (null for a lexical-only bundle). */
  onnx: Uint8Array | null;
  explain: Uint8Array | null;
  subset: Uint8Array | null;
  lexical: LexicalModel | null;
  fusion: BundleFusion | null;
  labels: BundleLabels;
  vocab: Vocabulary;
  maxLen: number;
}

export class BundleError extends Error {
  constructor(dir: string, problem: string) {
    super(`model bundle ${dir}: ${problem}`);
    this.name = 'BundleError';
  }
}

export function loadBundle(dir: string): LoadedBundle {
  recoverFolder(dir);
  for (const f of ['labels.json', 'vocab.json']) if (!existsSync(join(dir, f))) throw new BundleError(dir, `${f} is missing`);
  const json = (f: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(dir, f), 'utf8'));
    } catch (e) {
      throw new BundleError(dir, `${f} is not valid JSON (${(e as Error).message})`);
    }
  };
  const labels = json('labels.json') as BundleLabels;
  if (labels?.format !== 'planter-labels' || !Array.isArray(labels.labels) || typeof labels.threshold !== 'number') throw new BundleError(dir, 'labels.json is not a Planter label map');
  const serves: ServedModel = labels.serves ?? 'attention';
  if (!['fused', 'lexical', 'attention'].includes(serves)) throw new BundleError(dir, `labels.json: unknown "serves" ${String(serves)}`);
  for (const f of filesOf(serves)) if (f !== 'model-card.md' && f !== EXPLAIN_FILE && !existsSync(join(dir, f))) throw new BundleError(dir, `${f} is missing (this bundle serves ${serves})`);
  const rawVocab = json('vocab.json') as BundleVocab;
  let vocab: Vocabulary;
  try {
    vocab = Vocabulary.fromJSON(rawVocab);
  } catch (e) {
    throw new BundleError(dir, `vocab.json: ${(e as Error).message}`);
  }
  if (labels.vocabFingerprint !== vocab.fingerprint || labels.vocabSize !== vocab.size) {
    throw new BundleError(dir, `vocab.json (${vocab.fingerprint}, ${vocab.size} tokens) is not the vocabulary this model was trained with (${String(labels.vocabFingerprint)}, ${String(labels.vocabSize)} tokens)`);
  }
  const maxLen = Number(rawVocab.maxLen);
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new BundleError(dir, 'vocab.json has no valid maxLen');
  const bad = labels.labels.findIndex((l) => !l || typeof l !== 'object' || typeof l.code !== 'string');
  if (bad >= 0) throw new BundleError(dir, `labels.json: label ${bad + 1} has no code`);
  const read = (f: string): Uint8Array | null => (existsSync(join(dir, f)) ? new Uint8Array(readFileSync(join(dir, f))) : null);
  const onnx = serves !== 'lexical' ? read('model.onnx') : null;
  const explain = serves !== 'lexical' ? read(EXPLAIN_FILE) : null;
  const subset = serves === 'fused' ? read(SUBSET_FILE) : null;
  let lexical: LexicalModel | null = null;
  let fusion: BundleFusion | null = null;
  if (serves !== 'attention') {
    try {
      lexical = decodeLexicalModel(readFileSync(join(dir, LEXICAL_BUNDLE_FILE)), labels.labels.length, LEXICAL_BUNDLE_FILE);
      const raw = json(FUSION_FILE) as BundleFusion;
      if (raw?.format !== 'planter-fusion' || !raw.shortlist) throw new Error('fusion.json is not a Planter fusion');
      fusion = { format: 'planter-fusion', ...checkFusionModel(raw), shortlist: raw.shortlist };
    } catch (e) {
      throw new BundleError(dir, (e as Error).message);
    }
    if (lexical.tfidf.vocabSize !== vocab.size) throw new BundleError(dir, `${LEXICAL_BUNDLE_FILE} was built on a vocabulary of ${lexical.tfidf.vocabSize} tokens but vocab.json has ${vocab.size} (files from different models?)`);
  }
  // labels.json and vocab.json check each other; the graphs must match them too, or a model.onnx
  // copied from another model scores the wrong labels without a word.
  for (const [file, bytes] of [['model.onnx', onnx], [EXPLAIN_FILE, explain], [SUBSET_FILE, subset]] as const) {
    if (!bytes) continue;
    const sizes = recordedSizes(bytes);
    if (sizes.labels !== undefined && sizes.labels !== labels.labels.length) {
      throw new BundleError(dir, `${file} scores ${sizes.labels} labels but labels.json lists ${labels.labels.length} (files from different models?)`);
    }
    if (sizes.vocab !== undefined && sizes.vocab !== vocab.size) {
      throw new BundleError(dir, `${file} was trained with a vocabulary of ${sizes.vocab} tokens but vocab.json has ${vocab.size} (files from different models?)`);
    }
  }
  return { serves, onnx, explain, subset, lexical, fusion, labels, vocab, maxLen };
}

/** The sizes Planter's exporter records in an ONNX file's metadata; empty for other producers or an unreadable file. */
function recordedSizes(bytes: Uint8Array): { labels?: number; vocab?: number } {
  try {
    const props = new Map((onnxProto.onnx.ModelProto.decode(bytes).metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
    const num = (key: string): number | undefined => (props.has(key) ? Number(props.get(key)) : undefined);
    const labels = num('planter.labels');
    const vocabSize = num('planter.vocab');
    return { ...(labels !== undefined ? { labels } : {}), ...(vocabSize !== undefined ? { vocab: vocabSize } : {}) };
  } catch {
    return {}; // ONNX Runtime's own load says what is wrong with the file
  }
}

/** What a predictor needs from a bundle (the same parts as from a model folder: predict.ts). */
export function bundlePredictorParts(b: LoadedBundle): PredictorParts {
  const models = { ...(b.onnx ? { exact: b.onnx } : {}), ...(b.explain ? { explain: b.explain } : {}), ...(b.subset ? { subset: b.subset } : {}) };
  return {
    vocab: b.vocab,
    maxLen: b.maxLen,
    numLabels: b.labels.labels.length,
    ...(b.onnx ? { attention: { models } } : {}),
    ...(b.lexical && b.fusion ? { lexical: { model: b.lexical, fusion: b.fusion, shortlist: b.fusion.shortlist, trainFreq: b.labels.labels.map((l) => l.trainCount) } } : {}),
  };
}
