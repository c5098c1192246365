import type { LabelItem } from '../../../shared/contract';
import type { Api } from '../api/api';
import type { LabelHit } from '../lib/label-index';
import type { LabelSearch } from '../lib/label-search';

export type PickerTab = 'search' | 'browse' | 'recent';

/** A row the picker shows, whichever tab it came from. */
export type PickerRow = Pick<LabelHit, 'id' | 'code' | 'title' | 'trainCount' | 'leaf' | 'kind' | 'childCount' | 'path' | 'matchedSynonym'> & {
  /** Browse tab: nesting depth and whether the node is open. */
  depth?: number;
  expanded?: boolean;
};

function fromItem(l: LabelItem): PickerRow {
  return { id: l.id, code: l.code, title: l.title, trainCount: l.trainCount, leaf: l.kind === 'code', kind: l.kind, childCount: 0, path: [], matchedSynonym: null };
}

/**
 * The label picker: type-ahead over the whole catalogue (in the search worker), a hierarchy to
 * browse, and the recently used labels. Stale replies are dropped by sequence number, so fast
 * typing never shows an older query's results.
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
  #seq = 0;
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
    this.query = query;
    this.active = 0;
    void this.#run();
  }

  setLeafOnly(leafOnly: boolean): void {
    this.leafOnly = leafOnly;
    void this.#run();
  }

  /** Re-runs the current query (after the index or its counts changed). */
  refresh(): void {
    this.#childrenCache.clear();
    void this.#run();
    if (this.tab === 'browse') void this.#rebuildTree();
  }

  move(delta: number): void {
    const n = this.rows.length;
    if (n === 0) return;
    this.active = Math.max(0, Math.min(n - 1, this.active + delta));
  }

  setTab(tab: PickerTab): void {
    this.tab = tab;
    this.active = 0;
    if (tab === 'browse' && this.tree.length === 0) void this.#rebuildTree();
  }

  async loadRecent(projectId: string): Promise<void> {
    try {
      const { items } = await this.#api.call('labels.recent', { projectId, limit: 12 });
      const hits = await this.#search.get(items.map((l) => l.id));
      this.recent = items.map((l, k) => (hits[k] ? { ...hits[k]! } : fromItem(l)));
    } catch {
      this.recent = [];
    }
  }

  /** Browse tab: opens or closes a node in place. */
  async toggle(row: PickerRow): Promise<void> {
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
    const children = (await this.#children(row.id)).map((c) => ({ ...c, depth: depth + 1, expanded: false }));
    const i = this.tree.findIndex((r) => r.id === row.id);
    if (i < 0) return;
    this.tree = [...this.tree.slice(0, i), { ...row, expanded: true }, ...children, ...this.tree.slice(i + 1)];
  }

  /** Opens the tree down to `id` (from a search hit's path) and selects it. */
  async reveal(id: number): Promise<void> {
    const [hit] = await this.#search.get([id]);
    if (!hit) return;
    this.tab = 'browse';
    if (this.tree.length === 0) await this.#rebuildTree();
    for (const step of hit.path) {
      const node = this.tree.find((r) => r.code === step.code);
      if (node && !node.expanded) await this.toggle(node);
    }
    this.active = Math.max(0, this.tree.findIndex((r) => r.id === id));
  }

  async #children(parentId: number | null): Promise<PickerRow[]> {
    let rows = this.#childrenCache.get(parentId);
    if (!rows) {
      rows = await this.#search.children(parentId);
      this.#childrenCache.set(parentId, rows);
    }
    return rows;
  }

  async #rebuildTree(): Promise<void> {
    this.tree = (await this.#children(null)).map((r) => ({ ...r, depth: 0, expanded: false }));
  }

  async #run(): Promise<void> {
    const seq = ++this.#seq;
    const query = this.query;
    if (!query.trim()) {
      this.results = [];
      this.total = 0;
      this.shownQuery = query;
      return;
    }
    try {
      const r = await this.#search.search(query, { leafOnly: this.leafOnly, limit: 50 });
      if (seq !== this.#seq) return; // a newer keystroke is on its way
      this.results = r.items;
      this.total = r.total;
      this.searchMs = r.ms;
      this.shownQuery = query;
      this.error = null;
    } catch (e) {
      if (seq === this.#seq) this.error = e instanceof Error ? e.message : String(e);
    }
  }
}
