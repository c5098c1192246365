import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Params } from '../../engine/models/params';
import { readCheckpoint, writeCheckpoint } from '../../engine/runtime/checkpoint';
import { fnv1a64Hex } from '../text/fingerprint';

/**
 * Finished stage outputs of one run, kept in its work folder so a resumed run skips what is done.
 * Each file carries its stage's key: the data fingerprint plus the settings that shape that stage
 * (and the stages before it). A changed setting never reuses a stale stage, and changing only a
 * fine-tuning setting still reuses the pretraining and learning-to-rank already done.
 */
export class StageStore {
  readonly dir: string;
  readonly key: string;
  readonly #stageKeys: Record<string, unknown>;
  constructor(dir: string, key: string, stageKeys: Record<string, unknown> = {}) {
    this.dir = dir;
    this.key = key;
    this.#stageKeys = stageKeys;
    mkdirSync(dir, { recursive: true });
  }

  /** The key of one stage: the run's data key plus the settings that stage depends on. */
  keyOf(stage: string): string {
    const base = stage.split('-')[0]!;
    return base in this.#stageKeys ? fnv1a64Hex(`${this.key}:${JSON.stringify(this.#stageKeys[base])}`) : this.key;
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  async save(stage: string, params: Params, shapes: Record<string, readonly number[]>, meta: Record<string, unknown> = {}): Promise<void> {
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [k, v] of Object.entries(params)) tensors[k] = { shape: [...(shapes[k] ?? [v.length])], data: v };
    await writeCheckpoint(this.file(`${stage}.done`), { meta: { ...meta, stage, key: this.keyOf(stage) }, tensors });
  }

  async load(stage: string): Promise<{ params: Params; meta: Record<string, unknown> } | null> {
    const file = this.file(`${stage}.done`);
    if (!existsSync(file)) return null;
    try {
      const ck = await readCheckpoint(file);
      if (ck.meta.key !== this.keyOf(stage)) return null;
      const params: Params = {};
      for (const [k, t] of Object.entries(ck.tensors)) params[k] = t.data;
      return { params, meta: ck.meta };
    } catch {
      return null; // a damaged stage file is recomputed, not trusted
    }
  }

  /** Checkpoint path of a stage's in-progress training job (keyed, so stale ones are not resumed). */
  checkpoint(stage: string): string {
    return this.file(`${stage}.${this.keyOf(stage).slice(-12)}.ckpt`);
  }
}
