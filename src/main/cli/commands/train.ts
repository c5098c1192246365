import { readFileSync } from 'node:fs';
import { PLANT_DEFAULTS, PlantSettingsChanges, type EvalReport, type PlantSettingsInput, type ServedModel } from '../../../shared/contract';
import type { SpawnLexicalWorker } from '../../lexical/group-runner';
import { PlanterError } from '../../../shared/errors';
import { bool, int, JSON_FLAG, PROJECT_FLAG, str, type Command, type ParsedArgs } from '../command';
import type { CliIo } from '../io';
import { resultOf, UsageError, waitForJob } from '../io';
import { withProject } from '../session';

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '   —  ' : (100 * v).toFixed(1).padStart(6));

/** The metric table printed by train, retrain and eval: in %, as its first line says (JSON carries fractions). */
export function formatReport(r: EvalReport): string {
  const keys = ['p@1', 'p@3', 'p@5', 'ndcg@5', 'psp@5', 'micro_f1', 'macro_f1', 'macro_auc'] as const;
  const rows: [string, EvalReport | EvalReport['buckets']['few'], string][] = [
    ['all', r, ''],
    ...(['zero', 'few', 'mid', 'head'] as const).map((b): [string, EvalReport['buckets']['few'], string] => [b, r.buckets[b], String(r.buckets[b].labels)]),
  ];
  return ['metrics in % (--json gives fractions in [0, 1])', `${'labels'.padEnd(8)}${'n'.padStart(6)} ${keys.map((k) => k.padStart(9)).join('')}`, ...rows.map(([name, m, n]) => `${name.padEnd(8)}${n.padStart(6)} ${keys.map((k) => pct(m[k]).padStart(9)).join('')}`)].join('\n');
}

/** `--settings FILE`: PLANT settings as JSON (any of the shared schema's fields), checked like the app's. */
function settingsFile(args: ParsedArgs): Partial<PlantSettingsInput> {
  const file = str(args, 'settings');
  if (file === undefined) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--settings ${file}: ${(e as Error).message}`);
  }
  const parsed = PlantSettingsChanges.safeParse(raw);
  if (!parsed.success) throw new UsageError(`--settings ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'the file'}: ${i.message}`).join('; ')}`);
  return raw as Partial<PlantSettingsInput>;
}

function settingsOf(args: ParsedArgs): Partial<PlantSettingsInput> {
  const s: Partial<PlantSettingsInput> = settingsFile(args);
  if (bool(args, 'no-plant')) s.plant = false;
  if (bool(args, 'no-pretrain')) s.pretrain = false;
  const epochs = int(args, 'epochs');
  if (epochs !== undefined) s.epochs = { ...s.epochs, finetune: epochs } as PlantSettingsInput['epochs'];
  const seed = int(args, 'seed');
  if (seed !== undefined) s.seed = seed;
  const backend = str(args, 'backend');
  if (backend !== undefined) {
    if (backend !== 'ort' && backend !== 'tfjs') throw new UsageError(`--backend must be ort or tfjs, got ${backend}`);
    s.backend = backend;
  }
  const device = str(args, 'device');
  if (device !== undefined) {
    if (device !== 'cpu' && device !== 'cuda') throw new UsageError(`--device must be cpu or cuda, got ${device}`);
    s.device = device;
  }
  const threads = int(args, 'threads');
  if (threads !== undefined) s.threads = threads;
  return s;
}

/**
 * The lexical ranker's worker threads: bundled with the built CLI. From TypeScript sources (tests)
 * the `?nodeWorker` import cannot load, and the ranker trains in this thread instead.
 */
async function lexicalWorkers(): Promise<{ spawnLexicalWorker?: SpawnLexicalWorker }> {
  try {
    const { spawnLexicalWorker } = await import('../../app/training-worker');
    return { spawnLexicalWorker };
  } catch {
    return {};
  }
}

async function run(mode: 'full' | 'retrain', args: ParsedArgs, io: CliIo): Promise<number> {
  const settings = mode === 'full' ? settingsOf(args) : {};
  try {
    return await withProject(str(args, 'project')!, async (session, projectId) => {
      // A retrain starts from the current model's settings: any `settings` given would replace them.
      const { jobId } = await session.call('training.start', { projectId, mode, ...(mode === 'full' ? { settings } : {}) });
      const result = resultOf(await waitForJob(session.services, jobId, io, bool(args, 'json')), ['train', 'retrain']);
      if (bool(args, 'json')) {
        io.out(JSON.stringify(mode === 'retrain' ? { seconds: result.seconds, metrics: result.metrics, modelId: result.modelId, replanted: result.replanted, serves: result.serves, earlyModelId: result.earlyModelId, earlySeconds: result.earlySeconds, becameCurrent: result.becameCurrent, gate: result.gate } : result));
        return 0;
      }
      io.out(`${mode === 'full' ? 'trained' : 'retrained'} model ${result.modelId} in ${result.seconds.toFixed(1)} s (${result.stageTimings.map((t) => `${t.stage} ${t.seconds.toFixed(1)} s`).join(', ')})`);
      io.out(`serving: ${SERVES_TEXT[result.serves]}${result.earlyModelId !== null ? ` (model ${result.earlyModelId} served after ${result.earlySeconds?.toFixed(1)} s while the attention model trained)` : ''}`);
      if (!result.becameCurrent) io.out(`model ${result.modelId} kept, not made current: ${result.gate.reason ?? 'it was worse on the tuning half'} (the Train view's "Use #${result.modelId}" switches to it)`);
      if (result.replanted) io.out(`re-planted ${result.replanted} labels that got their first examples`);
      io.out(result.metrics ? formatReport(result.metrics) : 'no dev split: the model was not evaluated');
      return 0;
    }, await lexicalWorkers());
  } catch (e) {
    if (e instanceof PlanterError && e.code === 'cancelled') io.err('training cancelled; run the same command again to resume from the last checkpoint');
    throw e;
  }
}

const SERVES_TEXT: Record<ServedModel, string> = {
  fused: 'the lexical ranker and the attention model, fused (calibrated probabilities)',
  lexical: 'the lexical ranker alone (calibrated probabilities)',
  attention: 'the attention model alone',
};

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train PLANT on the project (pretraining, MIG, learning-to-rank, planting, fine-tuning, evaluation). Ctrl-C cancels; running it again resumes.',
  flags: {
    project: PROJECT_FLAG,
    'no-plant': { type: 'boolean', description: 'LANT: the same model with a random U (the ablation)' },
    'no-pretrain': { type: 'boolean', description: 'skip Stage 0 (encoder pretraining)' },
    settings: { type: 'string', description: 'PLANT settings from a JSON file (e.g. resources/demo/quick-settings.json); the flags here override it', placeholder: 'FILE' },
    epochs: { type: 'int', min: 1, max: 500, description: `fine-tuning epochs (default ${PLANT_DEFAULTS.epochs.finetune})`, placeholder: 'N' },
    seed: { type: 'int', min: 0, max: 2 ** 31 - 1, description: `random seed (default ${PLANT_DEFAULTS.seed})`, placeholder: 'S' },
    backend: { type: 'string', description: `ort or tfjs (needs @tensorflow/tfjs-node); default ${PLANT_DEFAULTS.backend}`, placeholder: 'B' },
    device: { type: 'string', description: `cpu or cuda (default ${PLANT_DEFAULTS.device})`, placeholder: 'D' },
    threads: { type: 'int', min: 1, max: 64, description: 'threads per ONNX Runtime session (default: all cores)', placeholder: 'N' },
    json: JSON_FLAG,
  },
  run: (args, io) => run('full', args, io),
};

export const retrainCommand: Command = {
  name: 'retrain',
  summary: 'The few-shot loop: warm-start from the current model after new annotations (re-plants labels that got their first examples).',
  flags: { project: PROJECT_FLAG, json: JSON_FLAG },
  run: (args, io) => run('retrain', args, io),
};
