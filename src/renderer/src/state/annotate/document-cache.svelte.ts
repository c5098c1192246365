import type { DocStatus, DocumentDetail, DocumentLabel, Suggestion } from '../../../../shared/contract';
import { toApiError, type Api } from '../../api/api';
import { Generation } from '../../lib/generation';

/**
 * Whether the model side answers: `unknown` before the first call, `none` (no model trained
 * yet), `ready`, or `unavailable` (this build has no suggestion service).
 */
export type ModelState = 'unknown' | 'none' | 'ready' | 'unavailable';

/** A document with the model's suggestions for it. */
export interface LoadedDocument {
  detail: DocumentDetail;
  suggestions: Suggestion[];
  modelId: number | null;
}

export const SUGGESTIONS_TOP = 15;
const CACHE_SIZE = 8;
/** Documents loaded ahead of the cursor (two: `d` then `n` quickly still finds one ready). */
const PREFETCH = 2;

/**
 * Documents with their suggestions, cached (the last few) and loaded ahead of the cursor. A new
 * model starts a new generation: every load carries the generation it was asked under, and a
 * reply from an older one is dropped instead of refilling the cache with the old model's
 * suggestions (issue #16).
 */
export class DocumentCache {
  modelState = $state<ModelState>('unknown');

  readonly #api: Api;
  readonly #projectId: () => string;
  readonly #models = new Generation();
  // Plain maps on purpose: caches, not rendered state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #cache = new Map<number, LoadedDocument>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #inflight = new Map<number, Promise<LoadedDocument>>();

  constructor(api: Api, projectId: () => string) {
    this.#api = api;
    this.#projectId = projectId;
  }

  /** The cached document, if any: opening it needs no request. */
  peek(docId: number): LoadedDocument | undefined {
    return this.#cache.get(docId);
  }

  /**
   * The document and the current model's suggestions. One request pair per document at a time
   * (opening a document being prefetched waits for it); a load that a new model overtook is
   * asked again under the new one.
   */
  async load(docId: number): Promise<LoadedDocument> {
    for (;;) {
      const generation = this.#models.current;
      const loaded = this.#cache.get(docId) ?? (await this.#fetch(docId, generation));
      if (this.#models.isCurrent(generation)) return loaded;
    }
  }

  /** Loads the first few of `ahead` (the queue after the cursor) in the background. */
  prefetch(ahead: readonly number[]): void {
    for (const docId of ahead.slice(0, PREFETCH)) {
      if (!this.#cache.has(docId)) void this.load(docId).catch(() => undefined);
    }
  }

  /**
   * The current model's suggestions for a document (not cached); null when a newer model came
   * while asking. Without a model (or a suggestion service) an empty list and a `modelState`.
   */
  async suggest(docId: number): Promise<{ modelId: number | null; labels: Suggestion[] } | null> {
    const generation = this.#models.current;
    const s = await this.#suggest(docId, generation);
    return this.#models.isCurrent(generation) ? s : null;
  }

  /** After a new model: every cached and in-flight suggestion is stale. */
  modelChanged(): void {
    this.#models.next();
    this.#cache.clear();
    this.#inflight.clear();
    if (this.modelState !== 'unavailable') this.modelState = 'unknown';
  }

  /** Forgets a document (it changed where this cache cannot see, e.g. an undo). */
  forget(docId: number): void {
    this.#cache.delete(docId);
  }

  /** Forgets every document (a bulk action or its undo changed many at once). */
  forgetAll(): void {
    this.#cache.clear();
  }

  /** Takes the main side's word for a document's status and labels after a write. */
  patch(docId: number, status: DocStatus, labels: DocumentLabel[]): void {
    const cached = this.#cache.get(docId);
    if (cached) this.#cache.set(docId, { ...cached, detail: { ...cached.detail, status, labels } });
  }

  #fetch(docId: number, generation: number): Promise<LoadedDocument> {
    const running = this.#inflight.get(docId);
    if (running) return running;
    const projectId = this.#projectId();
    const pending: Promise<LoadedDocument> = Promise.all([this.#api.call('documents.get', { projectId, docId }), this.#suggest(docId, generation)])
      .then(([detail, s]) => {
        const loaded = { detail, suggestions: s.labels, modelId: s.modelId };
        if (this.#models.isCurrent(generation)) this.#remember(docId, loaded);
        return loaded;
      })
      .finally(() => {
        // Only its own entry: after a model change the entry may be a newer load of the document.
        if (this.#inflight.get(docId) === pending) this.#inflight.delete(docId);
      });
    this.#inflight.set(docId, pending);
    return pending;
  }

  async #suggest(docId: number, generation: number): Promise<{ modelId: number | null; labels: Suggestion[] }> {
    if (this.modelState === 'unavailable') return { modelId: null, labels: [] };
    // An old model's answer says nothing about the model serving now.
    const setState = (state: ModelState): void => {
      if (this.#models.isCurrent(generation)) this.modelState = state;
    };
    try {
      const r = await this.#api.call('suggestions.get', { projectId: this.#projectId(), docId, top: SUGGESTIONS_TOP });
      setState(r.modelId === null ? 'none' : 'ready');
      return r;
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'unknown-method') setState('unavailable');
      else if (err.code === 'not-found' || err.code === 'unavailable') setState('none');
      else throw err;
      return { modelId: null, labels: [] };
    }
  }

  #remember(docId: number, loaded: LoadedDocument): void {
    this.#cache.delete(docId);
    this.#cache.set(docId, loaded);
    while (this.#cache.size > CACHE_SIZE) {
      const oldest = this.#cache.keys().next();
      if (oldest.done) break;
      this.#cache.delete(oldest.value);
    }
  }
}
