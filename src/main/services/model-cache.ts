import { join } from 'node:path';
import { PlanterError } from '../../shared/errors';
import type { PlantModel } from '../plant/pipeline/model';
import { readModelDir } from '../plant/pipeline/model-files';
import { TextPredictor } from '../plant/pipeline/predict';
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

/**
 * Keeps one loaded predictor per project (its current model, or the model last asked for), so
 * opening a document costs a forward pass, not a model load.
 */
export class ModelCache {
  readonly #loaded = new Map<string, Promise<LoadedModel>>();

  async get(projectId: string, store: ProjectStore, modelId?: number): Promise<LoadedModel | null> {
    const repo = new ModelsRepo(store.db);
    const id = modelId ?? repo.currentId();
    if (id === null) return null;
    const row = repo.get(id);
    if (!row) throw new PlanterError('not-found', `no model ${id} in project ${projectId}`);
    const key = `${projectId}#${id}`;
    let entry = this.#loaded.get(key);
    if (!entry) {
      entry = this.#load(id, join(store.dir, row.path), store);
      // One model per project stays loaded: release the others.
      for (const [k, v] of this.#loaded) {
        if (k.startsWith(`${projectId}#`) && k !== key) {
          this.#loaded.delete(k);
          void v.then((m) => m.predictor.dispose()).catch(() => undefined);
        }
      }
      this.#loaded.set(key, entry);
      entry.catch(() => this.#loaded.delete(key));
    }
    return entry;
  }

  async #load(id: number, dir: string, store: ProjectStore): Promise<LoadedModel> {
    let model: PlantModel;
    try {
      model = await readModelDir(dir);
    } catch (e) {
      throw new PlanterError('bad-file', (e as Error).message);
    }
    const predictor = await TextPredictor.create({ config: model.config, params: model.params }, Vocabulary.fromJSON(model.vocabulary), model.settings.maxLen, model.labels.length);
    const byCode = store.labels.idsByCode();
    const labelIds = model.labels.map((l) => byCode.get(l.code) ?? null);
    const indexOfLabel = new Map<number, number>();
    labelIds.forEach((lid, i) => {
      if (lid !== null) indexOfLabel.set(lid, i);
    });
    return { id, model, predictor, labelIds, indexOfLabel };
  }

  invalidate(projectId: string): void {
    for (const [k, v] of this.#loaded) {
      if (k.startsWith(`${projectId}#`)) {
        this.#loaded.delete(k);
        void v.then((m) => m.predictor.dispose()).catch(() => undefined);
      }
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.#loaded.values()];
    this.#loaded.clear();
    await Promise.allSettled(all.map(async (m) => (await m).predictor.dispose()));
  }
}
