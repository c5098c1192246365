import type { LabelItem } from '../../../shared/contract';
import type { Api } from '../api/api';
import type { LabelHit } from '../lib/label-index';
import type { LabelSearch } from '../lib/label-search';

export type PickerTab = 'search' | 'browse' | 'recent';

/** Rows per query: twice what the dialog shows at once; the count says how many more match. */
const RESULTS = 30;

/** A row the picker shows, whichever tab it came from. */
export type PickerRow = Pick<LabelHit, 'id' | 'code' | 'displayCode' | 'title' | 'trainCount' | 'leaf' | 'kind' | 'childCount' | 'path' | 'matchedSynonym' | 'matchedBy'> & {
  /** Browse tab: nesting depth and whether the node is open. */
  depth?: number;
  expanded?: boolean;
};

function fromItem(l: LabelItem): PickerRow {
  return { id: l.id, code: l.code, displayCode: l.code, title: l.title, trainCount: l.trainCount, leaf: l.kind === 'code', kind: l.kind, childCount: 0, path: [], matchedSynonym: null, matchedBy: null };
}

/**
 * The label picker: type-ahead over the whole catalogue (indexed in a worker), a hierarchy to
 * browse, and the recently used labels.
 */
export class PickerState {
  open = $state(false);
  tab = $state<PickerTab>('search');
  query = $state('');
  /** Only assignable leaves (ICD-10-CM's billable codes). */
  leafOnly = $state(true);
  results = $state.raw<PickerRow[]>([]);
  total = $state(0);
  /** Search time inside the index for the last query, in ms. */
  searchMs = $state(0);
  /** The query the shown results belong to (tests and the bench wait on it). */
  shownQuery = $state('');
  active = $state(0);
  recent = $state.raw<PickerRow[]>([]);
  /** Browse tab: the visible rows of the tree (opened nodes' children inline). */
  tree = $state.raw<PickerRow[]>([]);
  error = $state<string | null>(null);
  readonly #api: Api;
  readonly #search: LabelSearch;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, not rendered state
  readonly #childrenCache = new Map<number | null, PickerRow[]>();

  constructor(api: Api, search: LabelSearch) {
    this.#api = api;
    this.#search = search;
  }

  /** The rows of the current tab. */
  get rows(): PickerRow[] {
    return this.tab === 'search' ? (this.query.trim() ? this.results : this.recent) : this.tab === 'recent' ? this.recent : this.tree;
  }

  get activeRow(): PickerRow | undefined {
    return this.rows[this.active];
  }

  /** Whether `row` can be assigned (leaf-only hides nothing in the tree, it only disables). */
  canAssign(row: PickerRow): boolean {
    return row.kind === 'code' && (!this.leafOnly || row.leaf);
  }

  show(projectId: string, initialQuery = ''): void {
    this.open = true;
    this.tab = 'search';
    this.active = 0;
    this.error = null;
    this.setQuery(initialQuery);
    void this.loadRecent(projectId);
  }

  close(): void {
    this.open = false;
  }

  setQuery(query: string): void {
    this.tab = 'search';
    this.query = query;
    this.active = 0;
    this.#run();
  }

  setLeafOnly(leafOnly: boolean): void {
    this.leafOnly = leafOnly;
    this.#run();
  }

  /** Re-runs the current query (after the index or its counts changed). */
  refresh(): void {
    this.#childrenCache.clear();
    this.#run();
    if (this.tab === 'browse') this.#rebuildTree();
  }

  move(delta: number): void {
    const n = this.rows.length;
    if (n === 0) return;
    this.active = Math.max(0, Math.min(n - 1, this.active + delta));
  }

  setTab(tab: PickerTab): void {
    this.tab = tab;
    this.active = 0;
    if (tab === 'browse' && this.tree.length === 0) this.#rebuildTree();
  }

  async loadRecent(projectId: string): Promise<void> {
    try {
      const { items } = await this.#api.call('labels.recent', { projectId, limit: 12 });
      const hits = this.#search.get(items.map((l) => l.id));
      this.recent = items.map((l, k) => (hits[k] ? { ...hits[k]! } : fromItem(l)));
    } catch {
      this.recent = [];
    }
  }

  /** Browse tab: opens or closes a node in place. */
  toggle(row: PickerRow): void {
    if (row.childCount === 0) return;
    const at = this.tree.findIndex((r) => r.id === row.id);
    if (at < 0) return;
    const depth = row.depth ?? 0;
    if (row.expanded) {
      let end = at + 1;
      while (end < this.tree.length && (this.tree[end]!.depth ?? 0) > depth) end++;
      this.tree = [...this.tree.slice(0, at), { ...row, expanded: false }, ...this.tree.slice(end)];
      return;
    }
    const children = this.#children(row.id).map((c) => ({ ...c, depth: depth + 1, expanded: false }));
    const i = this.tree.findIndex((r) => r.id === row.id);
    if (i < 0) return;
    this.tree = [...this.tree.slice(0, i), { ...row, expanded: true }, ...children, ...this.tree.slice(i + 1)];
  }

  /** Opens the tree down to `id` (from a search hit's path) and selects it. */
  reveal(id: number): void {
    const [hit] = this.#search.get([id]);
    if (!hit) return;
    this.tab = 'browse';
    if (this.tree.length === 0) this.#rebuildTree();
    for (const step of hit.path) {
      const node = this.tree.find((r) => r.code === step.code);
      if (node && !node.expanded) this.toggle(node);
    }
    this.active = Math.max(0, this.tree.findIndex((r) => r.id === id));
  }

  #children(parentId: number | null): PickerRow[] {
    let rows = this.#childrenCache.get(parentId);
    if (!rows) {
      rows = this.#search.children(parentId);
      this.#childrenCache.set(parentId, rows);
    }
    return rows;
  }

  #rebuildTree(): void {
    this.tree = this.#children(null).map((r) => ({ ...r, depth: 0, expanded: false }));
  }

  /** Runs the query synchronously: the index answers in about a millisecond (see LabelSearch). */
  #run(): void {
    const query = this.query;
    if (!query.trim()) {
      this.results = [];
      this.total = 0;
      this.shownQuery = query;
      return;
    }
    if (!this.#search.ready) return; // the catalogue state re-runs the query once it is indexed
    try {
      const r = this.#search.search(query, { leafOnly: this.leafOnly, limit: RESULTS });
      this.results = r.items;
      this.total = r.total;
      this.searchMs = r.ms;
      this.shownQuery = query;
      this.error = null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }
}
