import type { LabelEvalRow, Output } from '../../../shared/contract';
import { toApiError, type Api } from '../api/api';
import { bucketOf } from '../lib/format';

export type SortKey = 'code' | 'title' | 'trainCount' | 'support' | 'precision' | 'recall' | 'f1';
export type Report = Exclude<Output<'evaluation.report'>, { modelId: null }>;

/**
 * The evaluate view's state: one report (model × split), and the per-label table's search, sort,
 * bucket filter and paging done here, so thousands of rows never all reach the DOM.
 */
export class EvaluateState {
  report = $state.raw<Report | null>(null);
  /** Why there is no report: the project has no model yet (a normal state, not an error). */
  noModel = $state<string | null>(null);
  loading = $state(false);
  error = $state<{ code: string; message: string } | null>(null);
  split = $state('dev');
  modelId = $state<number | null>(null);
  query = $state('');
  sort = $state<{ key: SortKey; desc: boolean }>({ key: 'support', desc: true });
  bucket = $state<'all' | 'zero' | 'few' | 'mid' | 'head'>('all');
  neverOnly = $state(false);
  shown = $state(100);

  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole with each report, never mutated
  never = $derived(new Set(this.report?.neverPredicted ?? []));
  rows: LabelEvalRow[] = $derived.by(() => {
    const r = this.report;
    if (!r) return [];
    const q = this.query.trim().toLowerCase();
    const { key, desc } = this.sort;
    const filtered = r.perLabel.filter(
      (l) =>
        (!q || l.code.toLowerCase().includes(q) || l.title.toLowerCase().includes(q)) &&
        (this.bucket === 'all' || bucketOf(l.trainCount) === this.bucket) &&
        (!this.neverOnly || this.never.has(l.labelId)),
    );
    const sign = desc ? -1 : 1;
    return filtered.sort((x, y) => {
      const a = x[key];
      const b = y[key];
      // Missing values (no prediction, no support) sort last either way.
      if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
      return (a < b ? -1 : a > b ? 1 : 0) * sign || (x.code < y.code ? -1 : 1);
    });
  });

  readonly #api: Api;
  #seq = 0;

  constructor(api: Api) {
    this.#api = api;
  }

  async load(projectId: string): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const r = await this.#api.call('evaluation.report', { projectId, split: this.split, ...(this.modelId !== null ? { modelId: this.modelId } : {}) });
      if (seq !== this.#seq) return;
      this.report = r.modelId === null ? null : r;
      this.noModel = r.modelId === null ? r.noModel : null;
      this.shown = 100;
    } catch (e) {
      if (seq !== this.#seq) return;
      const err = toApiError(e);
      this.report = null;
      this.error = { code: err.code, message: err.message };
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  sortBy(key: SortKey): void {
    this.sort = this.sort.key === key ? { key, desc: !this.sort.desc } : { key, desc: key !== 'code' && key !== 'title' };
  }
}
