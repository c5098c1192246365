import type { NoteHit } from '../../../../shared/contract';
import { toApiError, type Api } from '../../api/api';

/** Finding documents by what their notes say (`notes.search`); the newest search wins. */
export class NoteSearch {
  query = $state('');
  hits = $state.raw<NoteHit[]>([]);
  total = $state(0);
  /** The query the hits are for; null before the first search. */
  searched = $state<string | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);

  readonly #api: Api;
  readonly #projectId: () => string;
  #seq = 0;

  constructor(api: Api, projectId: () => string) {
    this.#api = api;
    this.#projectId = projectId;
  }

  async run(query = this.query): Promise<void> {
    const q = query.trim();
    const seq = ++this.#seq;
    if (!q) {
      this.hits = [];
      this.total = 0;
      this.searched = null;
      return;
    }
    this.loading = true;
    this.error = null;
    try {
      const r = await this.#api.call('notes.search', { projectId: this.#projectId(), query: q, limit: 50 });
      if (seq !== this.#seq) return;
      this.hits = r.items;
      this.total = r.total;
      this.searched = q;
    } catch (e) {
      if (seq === this.#seq) this.error = toApiError(e).message;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}
