import type { BulkItem, BulkResult, DocStatus } from '../../../../shared/contract';
import { toApiError, type Api, type ApiError } from '../../api/api';
import type { LabelRowView } from './label-rows';

/** How many similar documents the preview offers by default. */
export const SIMILAR_DEFAULT = 20;
const STATUSES: DocStatus[] = ['pending', 'done', 'skipped', 'review'];

/** One line of the "apply to similar documents" preview; `ticked` ones get the label. */
export interface SimilarRow {
  docId: number;
  extId: string;
  snippet: string;
  score: number | null;
  ticked: boolean;
}

export interface SimilarPreview {
  label: { id: number; code: string };
  from: { id: number; extId: string };
  rows: SimilarRow[];
  loading: boolean;
  error: string | null;
  /** What the similar order is based on, or what it waits for (the queue's note). */
  note: string | null;
}

/** "Mark the queue's set": what the confirmation shows before anything is written. */
export interface MarkConfirmation {
  status: DocStatus;
  split: string | null;
  statuses: DocStatus[];
  count: number;
}

export interface BulkHooks {
  /** A bulk action was written (one undo step): the caller reloads what it shows. */
  applied: (r: BulkResult, what: string) => void;
  failed: (e: ApiError) => void;
}

/** The suggestions "accept all above threshold" takes: above the model's tuned threshold and not decided yet. */
export function acceptableSuggestions(rows: readonly LabelRowView[]): LabelRowView[] {
  return rows.filter((r) => r.section === 'suggestion' && r.assigned && r.state === 'none');
}

/**
 * The bulk actions of the annotate view (issue #17): accept every suggestion above its threshold
 * on the open document, add a label to the N most similar documents after a preview whose rows
 * can be unticked, and mark the queue's whole set done or skipped after a confirmation. Each is
 * one `annotations.applyMany` / `setStatusMany` call, so one undo step takes it back.
 */
export class BulkActions {
  preview = $state<SimilarPreview | null>(null);
  confirmation = $state.raw<MarkConfirmation | null>(null);
  busy = $state(false);

  readonly #api: Api;
  readonly #projectId: () => string;
  readonly #hooks: BulkHooks;

  constructor(api: Api, projectId: () => string, hooks: BulkHooks) {
    this.#api = api;
    this.#projectId = projectId;
    this.#hooks = hooks;
  }

  /** Accepts, with their scores, the open document's suggestions above threshold; null when there were none. */
  acceptAbove(docId: number, rows: readonly LabelRowView[]): Promise<BulkResult | null> {
    const items: BulkItem[] = acceptableSuggestions(rows).map((r) => ({ docId, labelId: r.labelId, action: 'accept', ...(r.score !== null ? { score: r.score } : {}) }));
    if (items.length === 0) return Promise.resolve(null);
    const codes = acceptableSuggestions(rows).map((r) => r.code);
    return this.#write(() => this.#api.call('annotations.applyMany', { projectId: this.#projectId(), items }), `accepted ${codes.length} suggestion${codes.length === 1 ? '' : 's'} above threshold (${codes.join(', ')})`);
  }

  /**
   * Opens the preview: the `limit` documents the queue's `similar` order ranks first for `from`
   * (the model's document representations, or word overlap before a model), in the queue's split
   * and statuses, every one ticked.
   */
  async openSimilar(from: { id: number; extId: string }, label: { id: number; code: string }, scope: { split: string | null; status: DocStatus | 'all' }, limit = SIMILAR_DEFAULT): Promise<void> {
    const preview: SimilarPreview = { label, from, rows: [], loading: true, error: null, note: null };
    this.preview = preview;
    try {
      const page = await this.#api.call('queue.next', {
        projectId: this.#projectId(),
        strategy: 'similar',
        docId: from.id,
        split: scope.split,
        statuses: scope.status === 'all' ? STATUSES : [scope.status],
        limit: limit + 1,
      });
      if (this.preview?.from.id !== from.id || this.preview.label.id !== label.id) return;
      this.preview.note = page.note;
      this.preview.rows = page.items
        .filter((i) => i.docId !== from.id)
        .slice(0, limit)
        .map((i) => ({ docId: i.docId, extId: i.extId, snippet: i.snippet, score: i.score, ticked: true }));
    } catch (e) {
      if (this.preview) this.preview.error = toApiError(e).message;
    } finally {
      if (this.preview) this.preview.loading = false;
    }
  }

  toggle(docId: number): void {
    const row = this.preview?.rows.find((r) => r.docId === docId);
    if (row) row.ticked = !row.ticked;
  }

  closePreview(): void {
    this.preview = null;
  }

  /** Adds the label to every ticked document of the preview (one undo step). */
  async confirmSimilar(): Promise<BulkResult | null> {
    const p = this.preview;
    if (!p) return null;
    const ticked = p.rows.filter((r) => r.ticked);
    if (ticked.length === 0) {
      this.preview = null;
      return null;
    }
    const items: BulkItem[] = ticked.map((r) => ({ docId: r.docId, labelId: p.label.id, action: 'add' }));
    const r = await this.#write(() => this.#api.call('annotations.applyMany', { projectId: this.#projectId(), items }), `added ${p.label.code} to ${ticked.length} similar document${ticked.length === 1 ? '' : 's'}`);
    if (r) this.preview = null;
    return r;
  }

  /** Asks before marking the queue's set (`count` is the queue's scope, shown in the confirmation). */
  askMark(status: DocStatus, scope: { split: string | null; status: DocStatus | 'all' }, count: number): void {
    this.confirmation = { status, split: scope.split, statuses: scope.status === 'all' ? STATUSES : [scope.status], count };
  }

  cancelMark(): void {
    this.confirmation = null;
  }

  async confirmMark(): Promise<BulkResult | null> {
    const c = this.confirmation;
    if (!c) return null;
    const r = await this.#write(
      () => this.#api.call('annotations.setStatusMany', { projectId: this.#projectId(), status: c.status, scope: { split: c.split, statuses: c.statuses } }),
      `marked the queue's documents ${c.status}`,
    );
    if (r) this.confirmation = null;
    return r;
  }

  async #write(run: () => Promise<BulkResult>, what: string): Promise<BulkResult | null> {
    this.busy = true;
    try {
      const r = await run();
      this.#hooks.applied(r, what);
      return r;
    } catch (e) {
      this.#hooks.failed(toApiError(e));
      return null;
    } finally {
      this.busy = false;
    }
  }
}
