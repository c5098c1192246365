import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PlantSettings } from '../../../shared/contract';
import { fsyncDir } from '../../fs/atomic-write';
import { writeFileDurable } from './durable';
import { basename, join } from 'node:path';
import { classifierParams } from '../../engine/models/classifier';
import { checkParams, type Params } from '../../engine/models/params';
import { readCheckpoint, writeCheckpoint } from '../../engine/runtime/checkpoint';
import { Vocabulary } from '../text/vocabulary';
import type { PlantModel } from './model';
import { encodeLexicalModel, readLexicalModelAsync } from '../../lexical/format';
import { checkFusionModel } from '../../fusion/fusion';

const META_FILE = 'model.json';
const PARAMS_FILE = 'params.ckpt';
export const LEXICAL_FILE = 'lexical.bin';

/** A model folder could not be read; the message names the folder and the problem. */
export class ModelFileError extends Error {
  constructor(dir: string, problem: string) {
    super(`model ${dir}: ${problem}`);
    this.name = 'ModelFileError';
  }
}

/**
 * Writes a model as a folder (`model.json` + `params.ckpt`), atomically: everything goes to a
 * hidden sibling folder first, which is renamed into place only when complete, so a crash leaves
 * either no model or a whole one.
 */
export async function writeModelDir(parent: string, name: string, model: PlantModel): Promise<string> {
  mkdirSync(parent, { recursive: true });
  // A folder of that name left by a killed run (written, never recorded) is not overwritten: it
  // may be all that is left of that run; this model takes the next free name.
  let target = join(parent, name);
  for (let n = 2; existsSync(target); n++) target = join(parent, `${name}-${n}`);
  const tmp = join(parent, `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  mkdirSync(tmp);
  try {
    const { params, lexical, ...meta } = model;
    if (model.serves !== 'lexical') {
      const specs = classifierParams(model.config);
      const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
      for (const s of specs) tensors[s.name] = { shape: [...s.shape], data: params[s.name]! };
      await writeCheckpoint(join(tmp, PARAMS_FILE), { meta: { format: 'planter-params' }, tensors });
    }
    if (lexical) writeFileDurable(join(tmp, LEXICAL_FILE), encodeLexicalModel(lexical));
    writeFileDurable(join(tmp, META_FILE), JSON.stringify(meta));
    fsyncDir(tmp);
    renameSync(tmp, target);
    fsyncDir(parent);
    return target;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Reads and checks a model folder written by writeModelDir. */
export async function readModelDir(dir: string): Promise<PlantModel> {
  const metaFile = join(dir, META_FILE);
  if (!existsSync(metaFile)) throw new ModelFileError(dir, `${META_FILE} is missing`);
  let meta: Omit<PlantModel, 'params'>;
  try {
    meta = JSON.parse(await readFile(metaFile, 'utf8')) as Omit<PlantModel, 'params'>;
  } catch (e) {
    throw new ModelFileError(dir, `${META_FILE} is not valid JSON (${(e as Error).message})`);
  }
  if (meta.format !== 'planter-model' || meta.version !== 1) throw new ModelFileError(dir, `unsupported format ${String(meta.format)} v${String(meta.version)}`);
  // Models written before the lexical ranker existed serve their attention model.
  meta.serves ??= 'attention';
  if (!['fused', 'lexical', 'attention'].includes(meta.serves)) throw new ModelFileError(dir, `unknown served model "${String(meta.serves)}"`);
  const params: Params = {};
  if (meta.serves !== 'lexical') {
    let ck;
    try {
      ck = await readCheckpoint(join(dir, PARAMS_FILE));
    } catch (e) {
      throw new ModelFileError(dir, (e as Error).message);
    }
    for (const [k, t] of Object.entries(ck.tensors)) params[k] = t.data;
  }
  let lexical: PlantModel['lexical'];
  if (meta.serves !== 'attention') {
    if (!existsSync(join(dir, LEXICAL_FILE))) throw new ModelFileError(dir, `${LEXICAL_FILE} is missing`);
    try {
      lexical = await readLexicalModelAsync(join(dir, LEXICAL_FILE), Array.isArray(meta.labels) ? meta.labels.length : 0);
    } catch (e) {
      throw new ModelFileError(dir, (e as Error).message);
    }
  }
  try {
    if (meta.serves !== 'attention') meta.fusion = checkFusionModel(meta.fusion);
    const settings = PlantSettings.safeParse(meta.settings);
    if (!settings.success) throw new Error(`settings are not usable: ${settings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    meta.settings = settings.data;
    if (!meta.config?.encoder || typeof meta.config.labels !== 'number') throw new Error('config is missing or incomplete');
    if (!Array.isArray(meta.labels) || meta.labels.some((l) => !l || typeof l.code !== 'string')) throw new Error('labels must be a list of {code, title}');
    if (!Number.isFinite(meta.threshold)) throw new Error('threshold is not a number');
    if (meta.labelThresholds !== undefined && (!Array.isArray(meta.labelThresholds) || meta.labelThresholds.length !== meta.labels.length || !meta.labelThresholds.every(Number.isFinite))) throw new Error('labelThresholds do not match the labels');
    if (!Array.isArray(meta.trainFreq) || meta.trainFreq.length !== meta.labels.length) throw new Error('trainFreq does not match the labels');
    if (meta.serves !== 'lexical') checkParams(classifierParams(meta.config), params);
    if (lexical && lexical.tfidf.vocabSize !== meta.config.encoder.vocab) throw new Error(`${LEXICAL_FILE} was built on a vocabulary of ${lexical.tfidf.vocabSize} tokens, the model has ${meta.config.encoder.vocab}`);
    const vocab = Vocabulary.fromJSON(meta.vocabulary);
    if (vocab.size !== meta.config.encoder.vocab) throw new Error(`vocabulary has ${vocab.size} tokens, the model expects ${meta.config.encoder.vocab}`);
    if (meta.labels.length !== meta.config.labels) throw new Error(`${meta.labels.length} labels listed, the model has ${meta.config.labels}`);
  } catch (e) {
    throw new ModelFileError(dir, (e as Error).message);
  }
  return { ...meta, params, ...(lexical ? { lexical } : {}) };
}
