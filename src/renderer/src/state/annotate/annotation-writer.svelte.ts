import type { AnnotationAction, AnnotationEvent, AnnotationResult, DocStatus, HistoryState } from '../../../../shared/contract';
import { toApiError, type Api, type ApiError } from '../../api/api';

/** "accept E11.9 on S0004-…", for notices and the undo button's title. */
export function describeEvent(e: AnnotationEvent): string {
  const size = e.batchSize ?? 1;
  if (size > 1) return e.action === 'status' ? `mark ${size} documents ${e.statusAfter ?? ''}`.trim() : `${e.action} ${size} labels at once`;
  if (e.action === 'status') return `mark ${e.extId} ${e.statusAfter ?? ''}`.trim();
  return `${e.action} ${e.code ?? `label ${e.labelId}`} on ${e.extId}`;
}

export interface WriteHooks {
  /** Every successful write's reply, before the call resolves: the caller updates what it shows. */
  applied: (r: AnnotationResult) => void;
  failed: (e: ApiError) => void;
}

/**
 * Annotation writes and the project-wide undo history. Every write goes through `annotations.*`
 * and the reply is handed to `applied`, so the UI never guesses what the main side stored.
 */
export class AnnotationWriter {
  history = $state.raw<HistoryState>({ undo: null, redo: null });
  /** A write is in flight (the toolbar disables its buttons). */
  busy = $state(false);

  readonly #api: Api;
  readonly #projectId: () => string;
  readonly #hooks: WriteHooks;

  constructor(api: Api, projectId: () => string, hooks: WriteHooks) {
    this.#api = api;
    this.#projectId = projectId;
    this.#hooks = hooks;
  }

  /** Reads the last history entry, so undo works across restarts. */
  loadHistory(): void {
    void this.#api
      .call('annotations.history', { projectId: this.#projectId(), limit: 1 })
      .then((h) => (this.history = h.history))
      .catch(() => undefined);
  }

  /**
   * Resolves with the reply, or null when the write failed (and `failed` was told). `score` is
   * the model suggestion's, when the decision is on one (the provenance records it).
   */
  apply(docId: number, labelId: number, action: AnnotationAction, score?: number): Promise<AnnotationResult | null> {
    return this.#write(() => this.#api.call('annotations.apply', { projectId: this.#projectId(), docId, labelId, action, ...(score !== undefined ? { score } : {}) }));
  }

  setStatus(docId: number, status: DocStatus): Promise<AnnotationResult | null> {
    return this.#write(() => this.#api.call('annotations.setStatus', { projectId: this.#projectId(), docId, status }));
  }

  /** Undoes or redoes the newest action of the project; the reply's `event` is null when there was none. */
  travel(direction: 'undo' | 'redo'): Promise<AnnotationResult | null> {
    return this.#write(() => this.#api.call(direction === 'undo' ? 'annotations.undo' : 'annotations.redo', { projectId: this.#projectId() }));
  }

  async #write(run: () => Promise<AnnotationResult>): Promise<AnnotationResult | null> {
    this.busy = true;
    try {
      const r = await run();
      this.history = r.history;
      this.#hooks.applied(r);
      return r;
    } catch (e) {
      this.#hooks.failed(toApiError(e));
      return null;
    } finally {
      this.busy = false;
    }
  }
}
