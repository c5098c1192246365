import type { CoderSpan, HistoryState, SpanResult } from '../../../../shared/contract';
import { toApiError, type Api, type ApiError } from '../../api/api';

/**
 * The open document's evidence spans (the coder's, and imported ones) and their writes. Every
 * write answers with the document's spans and the project-wide history, so undo (u) covers a span
 * like a label decision; after an undo or redo the view calls `load` again.
 */
export class SpanEditor {
  spans = $state.raw<CoderSpan[]>([]);
  /** The document `spans` belong to (null before the first load). */
  docId = $state<number | null>(null);
  busy = $state(false);

  readonly #api: Api;
  readonly #projectId: () => string;
  readonly #history: (h: HistoryState) => void;
  readonly #failed: (e: ApiError) => void;
  #loads = 0;

  constructor(api: Api, projectId: () => string, hooks: { history: (h: HistoryState) => void; failed: (e: ApiError) => void }) {
    this.#api = api;
    this.#projectId = projectId;
    this.#history = hooks.history;
    this.#failed = hooks.failed;
  }

  async load(docId: number): Promise<void> {
    const load = ++this.#loads;
    try {
      const { spans } = await this.#api.call('spans.list', { projectId: this.#projectId(), docId });
      if (load !== this.#loads) return; // a later document was opened meanwhile
      this.spans = spans;
      this.docId = docId;
    } catch (e) {
      if (load === this.#loads) this.#failed(toApiError(e));
    }
  }

  add(docId: number, labelId: number, start: number, end: number): Promise<SpanResult | null> {
    return this.#write(() => this.#api.call('spans.add', { projectId: this.#projectId(), docId, labelId, start, end }));
  }

  retarget(spanId: number, labelId: number): Promise<SpanResult | null> {
    return this.#write(() => this.#api.call('spans.update', { projectId: this.#projectId(), spanId, labelId }));
  }

  remove(spanId: number): Promise<SpanResult | null> {
    return this.#write(() => this.#api.call('spans.delete', { projectId: this.#projectId(), spanId }));
  }

  async #write(run: () => Promise<SpanResult>): Promise<SpanResult | null> {
    this.busy = true;
    this.#loads++; // a reply to a write is newer than any list still in flight
    try {
      const r = await run();
      this.spans = r.spans;
      this.docId = r.docId;
      this.#history(r.history);
      return r;
    } catch (e) {
      this.#failed(toApiError(e));
      return null;
    } finally {
      this.busy = false;
    }
  }
}
