/**
 * Re-exporting a model bundle under a name that exists (found by the crash suite: "acknowledged
 * export bundle-N is gone" after a kill during the next export to that name). exportBundle
 * (plant/pipeline/bundle.ts) removes the old folder and then renames the new one into place; a
 * crash — or, as here, a failed rename — in between leaves neither. Reproduced deterministically by
 * failing the rename.
 */
import type * as NodeFs from 'node:fs';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportBundle, loadBundle } from '../../plant/pipeline/bundle';
import type { PlantModel } from '../../plant/pipeline/model';
import { syntheticCorpus, TEST_SETTINGS } from '../../plant/pipeline/testing/synthetic';
import { trainPlant } from '../../plant/pipeline/train-plant';

const fault = { renameTo: null as string | null };
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  const renameSync = (from: string, to: string): void => {
    // One failure, like a disk hiccup or a kill: the next rename (a restore) goes through.
    if (fault.renameTo && to === fault.renameTo) {
      fault.renameTo = null;
      throw Object.assign(new Error(`EIO: i/o error, rename '${from}' -> '${to}'`), { code: 'EIO' });
    }
    fs.renameSync(from, to);
  };
  return { ...fs, renameSync, default: { ...fs, renameSync } };
});

let root: string;
let model: PlantModel;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'planter-bundle-replace-'));
  const corpus = syntheticCorpus({ labels: 5, train: 80, dev: 30, seed: 2 });
  model = (await trainPlant(corpus, TEST_SETTINGS, { workDir: join(root, 'work') })).model;
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('re-exporting a bundle to a name that exists', () => {
    it('a failed (or killed) re-export keeps the previous bundle', () => {
    const out = join(root, 'exports', 'bundle');
    exportBundle(model, out);
    expect(() => loadBundle(out)).not.toThrow();
    fault.renameTo = out;
    expect(() => exportBundle(model, out)).toThrow(/EIO/);
    fault.renameTo = null;
    // The previous bundle was moved aside, never deleted; the next load (or export) puts it back.
    expect(loadBundle(out).labels.labels.length).toBe(model.labels.length);
    expect(readdirSync(join(root, 'exports'))).toEqual(['bundle']);
    expect(existsSync(out)).toBe(true);
  });
});
