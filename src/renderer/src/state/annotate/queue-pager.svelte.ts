import type { AnnotationResult, DocStatus, QueueOutput, QueueProgress, QueueStrategy, StatusCounts } from '../../../../shared/contract';
import { toApiError, type Api } from '../../api/api';
import { Generation } from '../../lib/generation';

export interface QueueSettings {
  strategy: QueueStrategy;
  /** null = every split. */
  split: string | null;
  status: DocStatus | 'all';
  query: string;
  label: { id: number; code: string } | null;
  similarTo: { id: number; extId: string } | null;
  seed: number;
}

/** Documents per queue page. */
export const QUEUE_PAGE = 50;
const STATUSES: DocStatus[] = ['pending', 'done', 'skipped', 'review'];

/** The queue's progress bar for a split (null = every split) from per-split status counts. */
export function progressOf(counts: Record<string, StatusCounts>, split: string | null): QueueProgress {
  const out: QueueProgress = { split, total: 0, pending: 0, done: 0, skipped: 0, review: 0 };
  for (const [name, c] of Object.entries(counts)) {
    if (split !== null && name !== split) continue;
    for (const status of STATUSES) {
      out[status] += c[status];
      out.total += c[status];
    }
  }
  return out;
}

/** Why a strategy cannot ask the queue yet (null when it can). */
function missingInput(s: QueueSettings): string | null {
  if (s.strategy === 'search' && !s.query.trim()) return 'Type words to search for.';
  if (s.strategy === 'by-label' && !s.label) return 'Pick a label first (g on a label, or from the picker).';
  if (s.strategy === 'similar' && !s.similarTo) return 'Open a document and press f.';
  return null;
}

/**
 * The annotation queue, one page at a time: the order and filters (`settings`), the page on
 * screen and its offset. Only the newest request's page is shown; a caller whose request was
 * overtaken (a filter change, a re-rank) gets the page of the one that overtook it.
 */
export class QueuePager {
  settings = $state<QueueSettings>({ strategy: 'rare-first', split: 'pool', status: 'pending', query: '', label: null, similarTo: null, seed: 1 });
  page = $state.raw<QueueOutput | null>(null);
  /** Offset of the page on screen. */
  offset = $state(0);
  loading = $state(false);
  error = $state<string | null>(null);

  readonly #api: Api;
  readonly #projectId: () => string;
  readonly #requests = new Generation();
  /** The newest request: overtaken ones wait for it. */
  #latest: Promise<QueueOutput | null> = Promise.resolve(null);
  /** The offset of the newest request, which a refresh asks again (not the page still on screen). */
  #askedOffset = 0;

  constructor(api: Api, projectId: () => string) {
    this.#api = api;
    this.#projectId = projectId;
  }

  /** Changes the order or filters and loads their first page; resolves with the page then on screen. */
  configure(patch: Partial<QueueSettings>): Promise<QueueOutput | null> {
    this.settings = { ...this.settings, ...patch };
    return this.load(0);
  }

  /**
   * Loads the page at `offset` (by default the one asked for last: a re-rank while the next page
   * loads re-asks that page). Resolves with the page on screen once the newest request settled,
   * or null when there is none (the settings need input first, or the request failed).
   */
  load(offset = this.#askedOffset): Promise<QueueOutput | null> {
    const stamp = this.#requests.next();
    this.#askedOffset = offset;
    this.#latest = this.#fetch(stamp, offset);
    return this.#latest;
  }

  /** The offset of the page after the one on screen, or null at the end. */
  get nextOffset(): number | null {
    const q = this.page;
    return q && this.offset + q.items.length < q.total ? this.offset + QUEUE_PAGE : null;
  }

  /** The offset of the page before the one on screen, or null at the start. */
  get prevOffset(): number | null {
    return this.page && this.offset > 0 ? Math.max(0, this.offset - QUEUE_PAGE) : null;
  }

  /** Takes the main side's word after a write: the document's row and the split's counters. */
  applyWrite(r: AnnotationResult): void {
    const q = this.page;
    const d = r.document;
    if (!q || !d) return;
    // The counters come from the main side after every write (a document off this page, an
    // undo of a status change: counting here went stale, issue #14 bug 1).
    const progress = progressOf(r.statusCounts, q.progress.split);
    const labelCount = d.labels.filter((l) => l.present).length;
    this.page = { ...q, progress, items: q.items.map((i) => (i.docId === d.docId ? { ...i, status: d.status, labelCount } : i)) };
  }

  async #fetch(stamp: number, offset: number): Promise<QueueOutput | null> {
    const s = this.settings;
    const missing = missingInput(s);
    if (missing) {
      this.page = null;
      this.error = missing;
      // A page still loading was replaced by this one: its "ranking…" ends here.
      this.loading = false;
      return null;
    }
    this.loading = true;
    try {
      const r = await this.#api.call('queue.next', {
        projectId: this.#projectId(),
        strategy: s.strategy,
        split: s.split,
        statuses: s.status === 'all' ? STATUSES : [s.status],
        seed: s.seed,
        offset,
        limit: QUEUE_PAGE,
        ...(s.strategy === 'search' ? { query: s.query } : {}),
        ...(s.strategy === 'by-label' && s.label ? { labelId: s.label.id } : {}),
        ...(s.strategy === 'similar' && s.similarTo ? { docId: s.similarTo.id } : {}),
      });
      if (!this.#requests.isCurrent(stamp)) return this.#latest;
      this.page = r;
      this.offset = offset;
      this.error = null;
      return r;
    } catch (e) {
      if (!this.#requests.isCurrent(stamp)) return this.#latest;
      this.error = toApiError(e).message;
      // The page on screen stays, so a refresh re-asks it, not the page that failed.
      this.#askedOffset = this.offset;
      return null;
    } finally {
      if (this.#requests.isCurrent(stamp)) this.loading = false;
    }
  }
}
