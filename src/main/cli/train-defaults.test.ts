import { describe, expect, it } from 'vitest';
import { drawerValues, PlantSettings, SETTING_FIELDS, settingsFromValues, settingValue } from '../../shared/contract';
import type { CliIo } from './io';
import { runCli } from './run';

/** One source of defaults (issue #14: the drawer showed 3/5/10 epochs, lr 0.002, 256 tokens; the run used 1/3/20, 0.005, 512). */
describe('training defaults', () => {
  const schema = PlantSettings.parse({});

  it('the settings drawer starts from the schema defaults, and what it submits parses back to them', () => {
    const shown = drawerValues(null);
    for (const f of SETTING_FIELDS) expect(shown[f.key], f.key).toEqual(settingValue(schema, f.key));
    expect(shown).toMatchObject({ 'epochs.pretrain': 1, 'epochs.l2r': 3, 'epochs.finetune': 20, lr: 0.005, maxLen: 512, plant: true });
    expect(PlantSettings.parse(settingsFromValues(shown))).toEqual(schema);
  });

  it('the drawer starts from the current model when there is one', () => {
    const model = PlantSettings.parse({ epochs: { finetune: 7 }, lr: 0.01, plant: false });
    expect(drawerValues(model)).toMatchObject({ 'epochs.finetune': 7, lr: 0.01, plant: false, 'epochs.l2r': 3 });
  });

  it('`planter train --help` states the same defaults', async () => {
    const out: string[] = [];
    const io: CliIo = { out: (l) => void out.push(l), err: (l) => void out.push(l), interactive: false };
    expect(await runCli(['train', '--help'], io)).toBe(0);
    const help = out.join('\n');
    expect(help).toContain(`fine-tuning epochs (default ${schema.epochs.finetune})`);
    expect(help).toContain(`random seed (default ${schema.seed})`);
    expect(help).toContain(`(default ${schema.device})`);
    expect(help).not.toContain('(default 10)');
  });
});
