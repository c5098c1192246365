import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Params } from '../../engine/models/params';
import { readCheckpoint, writeCheckpoint } from '../../engine/runtime/checkpoint';

/**
 * Finished stage outputs of one run, kept in its work folder so a resumed run skips what is done.
 * Each file carries the run key (settings + data fingerprint): a changed setting never reuses a
 * stale stage.
 */
export class StageStore {
  readonly dir: string;
  readonly key: string;
  constructor(dir: string, key: string) {
    this.dir = dir;
    this.key = key;
    mkdirSync(dir, { recursive: true });
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  async save(stage: string, params: Params, shapes: Record<string, readonly number[]>, meta: Record<string, unknown> = {}): Promise<void> {
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [k, v] of Object.entries(params)) tensors[k] = { shape: [...(shapes[k] ?? [v.length])], data: v };
    await writeCheckpoint(this.file(`${stage}.done`), { meta: { ...meta, stage, key: this.key }, tensors });
  }

  async load(stage: string): Promise<{ params: Params; meta: Record<string, unknown> } | null> {
    const file = this.file(`${stage}.done`);
    if (!existsSync(file)) return null;
    try {
      const ck = await readCheckpoint(file);
      if (ck.meta.key !== this.key) return null;
      const params: Params = {};
      for (const [k, t] of Object.entries(ck.tensors)) params[k] = t.data;
      return { params, meta: ck.meta };
    } catch {
      return null; // a damaged stage file is recomputed, not trusted
    }
  }

  /** Checkpoint path of a stage's in-progress training job (keyed, so stale ones are not resumed). */
  checkpoint(stage: string): string {
    return this.file(`${stage}.${this.key.slice(0, 12)}.ckpt`);
  }
}
