import { PlantSettings, type PlantSettingsInput } from './training';

/** Every default of a training, from the schema: the drawer, `planter train --help` and the pipeline read these. */
export const PLANT_DEFAULTS: PlantSettings = PlantSettings.parse({});

/** A setting of the full-training drawer, in a coder's words first and the technical name second. */
export interface SettingField {
  /** Path in PlantSettings ("epochs.finetune"). */
  key: string;
  label: string;
  /** The method's own name for it (PLANT.md, the papers), shown second. */
  technical: string;
  help: string;
  /** Expert settings sit apart, folded away. */
  expert: boolean;
  kind: 'number' | 'boolean' | 'select';
  min?: number;
  max?: number;
  step?: number | 'any';
  options?: { value: string; label: string }[];
  /** Disabled unless this boolean setting is on. */
  needs?: string;
}

export const SETTING_FIELDS: readonly SettingField[] = [
  { key: 'pretrain', label: 'Read the texts first to learn the vocabulary', technical: 'Stage 0, masked-token pretraining', help: 'Learns how words are used in your documents before learning any code.', expert: false, kind: 'boolean' },
  { key: 'epochs.pretrain', label: 'Passes over the texts while reading first', technical: 'pretraining epochs', help: 'More passes take longer; one is usually enough.', expert: false, kind: 'number', min: 0, max: 100, needs: 'pretrain' },
  { key: 'epochs.l2r', label: 'Passes teaching each code which words matter', technical: 'learning-to-rank (L2R) epochs', help: 'Plants where each code looks in a text, from the words most tied to it (MIG).', expert: false, kind: 'number', min: 0, max: 100, needs: 'plant' },
  { key: 'epochs.finetune', label: 'Passes learning the codes from your examples', technical: 'fine-tuning epochs', help: 'The best pass on the tuning half of dev is kept.', expert: false, kind: 'number', min: 1, max: 500 },
  { key: 'maxLen', label: 'Words read at a time', technical: 'tokens per chunk (maxLen)', help: 'Longer documents are read in chunks of this size.', expert: false, kind: 'number', min: 16, max: 2048 },
  { key: 'device', label: 'Train on', technical: 'device', help: 'A CUDA GPU is much faster where one is available.', expert: false, kind: 'select', options: [{ value: 'cpu', label: 'this computer’s processor (CPU)' }, { value: 'cuda', label: 'the graphics card (CUDA GPU)' }] },
  { key: 'lr', label: 'Learning speed', technical: 'learning rate', help: 'Too high and training becomes unstable; too low and it learns little.', expert: true, kind: 'number', min: 0.00001, max: 1, step: 'any' },
  { key: 'batchSize', label: 'Documents learned from together', technical: 'batch size', help: '', expert: true, kind: 'number', min: 1, max: 512 },
  { key: 'dim', label: 'Model size', technical: 'hidden size', help: 'Larger learns more and takes longer.', expert: true, kind: 'number', min: 8, max: 1024 },
  { key: 'sampledLabels', label: 'Codes compared per step', technical: 'sampled labels per batch (0 = all)', help: '', expert: true, kind: 'number', min: 0, max: 100_000 },
  { key: 'maxFinetuneSteps', label: 'Most learning steps on large corpora', technical: 'fine-tuning step budget', help: 'Large corpora get fewer passes so training stays within this many steps.', expert: true, kind: 'number', min: 1, max: 1_000_000 },
  { key: 'l2rLoss', label: 'How ranking is scored', technical: 'L2R loss', help: '', expert: true, kind: 'select', needs: 'plant', options: [{ value: 'approxNdcg', label: 'smooth ranking score (ApproxNDCG)' }, { value: 'lambdaRank', label: 'pairwise ranking (LambdaRank)' }] },
  { key: 'spanRelevance', label: 'Learn where to look from the evidence coders marked', technical: 'evidence spans as Stage A′ grades', help: 'Words inside a coder’s evidence span for a code on a training document rank first among that code’s words. Off by default: see docs/benchmarks.md.', expert: true, kind: 'boolean', needs: 'plant' },
  { key: 'numbers', label: 'Numbers in the text', technical: 'tokenizer number rule', help: 'Keep numbers as written (act and code numbers are evidence), or reduce them to their shape.', expert: true, kind: 'select', options: [{ value: 'keep', label: 'as written (“1408/71”)' }, { value: 'shape', label: 'their shape (“0000/00”)' }, { value: 'class', label: 'one token for any number' }] },
  { key: 'seed', label: 'Random seed', technical: 'seed', help: 'The same seed and settings give the same model.', expert: true, kind: 'number', min: 0, max: 2 ** 31 - 1 },
];

type Value = number | boolean | string;

/** A setting's value in a settings object ("epochs.finetune" → settings.epochs.finetune). */
export function settingValue(s: PlantSettings, key: string): Value {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], s) as Value;
}

/** What the drawer shows: the settings it starts from (the current model's), else the schema's defaults. */
export function drawerValues(base: PlantSettings | null): Record<string, Value> {
  const from = base ?? PLANT_DEFAULTS;
  return Object.fromEntries([...SETTING_FIELDS.map((f) => [f.key, settingValue(from, f.key)] as const), ['plant', from.plant] as const]);
}

/** The drawer's values as training settings (the nested shape of PlantSettings). */
export function settingsFromValues(values: Record<string, Value>): PlantSettingsInput {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split('.');
    let o = out;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts.at(-1)!] = value;
  }
  return out as PlantSettingsInput;
}
