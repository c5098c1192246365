import { join } from 'node:path';
import { PlanterError } from '../../shared/errors';
import type { PlantModel } from '../plant/pipeline/model';
import { readModelDir } from '../plant/pipeline/model-files';
import { predictorParts, TextPredictor } from '../plant/pipeline/predict';
import { Vocabulary } from '../plant/text/vocabulary';
import type { ProjectStore } from '../store/project-store';
import { ModelsRepo } from '../store/models-repo';

/** A model loaded for suggestions, evidence and evaluation, with its labels mapped to the project's. */
export interface LoadedModel {
  id: number;
  model: PlantModel;
  predictor: TextPredictor;
  /** [L] project label row id of each model label (null: the code no longer exists). */
  labelIds: (number | null)[];
  indexOfLabel: Map<number, number>;
}

/** A model held for one use; its predictor stays open until every lease on it is released. */
export interface ModelLease {
  readonly loaded: LoadedModel;
  /** True once a newer model replaced this one (work with it can stop early). */
  readonly stale: boolean;
  release(): void;
}

interface Entry {
  promise: Promise<LoadedModel>;
  leases: number;
  retired: boolean;
}

/**
 * Keeps one loaded predictor per project (its current model, or the model last asked for), so
 * opening a document costs a forward pass, not a model load. A replaced model is disposed only
 * when its last lease is released: a scoring job or a request still running on it must not find
 * its ONNX session closed under it.
 */
export class ModelCache {
  readonly #loaded = new Map<string, Entry>();

  /** Runs `fn` with the project's current model (or `modelId`), or with null when there is none. */
  async use<T>(projectId: string, store: ProjectStore, modelId: number | undefined, fn: (loaded: LoadedModel | null) => Promise<T>): Promise<T> {
    const lease = await this.lease(projectId, store, modelId);
    try {
      return await fn(lease?.loaded ?? null);
    } finally {
      lease?.release();
    }
  }

  async lease(projectId: string, store: ProjectStore, modelId?: number): Promise<ModelLease | null> {
    const repo = new ModelsRepo(store.db);
    const id = modelId ?? repo.currentId();
    if (id === null) return null;
    const row = repo.get(id);
    if (!row) throw new PlanterError('not-found', `no model ${id} in project ${projectId}`);
    const key = `${projectId}#${id}`;
    let entry = this.#loaded.get(key);
    if (!entry) {
      const created: Entry = { promise: this.#load(id, join(store.dir, row.path), store), leases: 0, retired: false };
      // One model per project stays loaded: release the others.
      for (const [k, v] of this.#loaded) if (k.startsWith(`${projectId}#`) && k !== key) this.#retire(k, v);
      this.#loaded.set(key, created);
      created.promise.catch(() => {
        if (this.#loaded.get(key) === created) this.#loaded.delete(key);
      });
      entry = created;
    }
    const held = entry;
    held.leases++;
    let loaded: LoadedModel;
    try {
      loaded = await held.promise;
    } catch (e) {
      held.leases--;
      throw e;
    }
    let released = false;
    return {
      loaded,
      get stale() {
        return held.retired;
      },
      release: () => {
        if (released) return;
        released = true;
        held.leases--;
        if (held.retired && held.leases === 0) void disposeEntry(held);
      },
    };
  }

  #retire(key: string, entry: Entry): void {
    this.#loaded.delete(key);
    entry.retired = true;
    if (entry.leases === 0) void disposeEntry(entry);
  }

  async #load(id: number, dir: string, store: ProjectStore): Promise<LoadedModel> {
    let model: PlantModel;
    try {
      model = await readModelDir(dir);
    } catch (e) {
      throw new PlanterError('bad-file', (e as Error).message);
    }
    // Each step below is tens of milliseconds at 94,000 labels: the host answers between them.
    await new Promise((r) => setImmediate(r));
    const predictor = await TextPredictor.create(predictorParts(model, Vocabulary.fromJSON(model.vocabulary)));
    const byCode = await store.labels.idsByCodeInSlices();
    const labelIds = model.labels.map((l) => byCode.get(l.code) ?? null);
    const indexOfLabel = new Map<number, number>();
    labelIds.forEach((lid, i) => {
      if (lid !== null) indexOfLabel.set(lid, i);
    });
    return { id, model, predictor, labelIds, indexOfLabel };
  }

  invalidate(projectId: string): void {
    for (const [k, v] of this.#loaded) if (k.startsWith(`${projectId}#`)) this.#retire(k, v);
  }

  /** Closes every model (at shutdown: leases still out lose their sessions, as the process ends). */
  async dispose(): Promise<void> {
    const all = [...this.#loaded.values()];
    this.#loaded.clear();
    await Promise.allSettled(all.map(disposeEntry));
  }
}

async function disposeEntry(entry: Entry): Promise<void> {
  try {
    await (await entry.promise).predictor.dispose();
  } catch {
    // a model that failed to load has nothing to close
  }
}
