import type { Api } from '../api/api';
import { LabelSearch } from '../lib/label-search';

/**
 * The open project's label catalogue, indexed for search (built in a worker): loaded once per
 * project (and again when labels are imported), with training counts and the words coders used
 * per label refreshed after annotation, so rare labels show their current count and new
 * assignments teach the picker their documents' words.
 */
export class CatalogueState {
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  size = $state(0);
  buildMs = $state(0);
  error = $state<string | null>(null);
  /** Bumped whenever the index or its counts change (pickers re-run their query). */
  revision = $state(0);
  readonly search: LabelSearch;
  readonly #api: Api;
  #projectId: string | null = null;
  #loading: Promise<void> | null = null;
  #countsTimer: ReturnType<typeof setTimeout> | null = null;
  #termsVersion: string | null = null;
  #loadSeq = 0;

  constructor(api: Api, search: LabelSearch = new LabelSearch()) {
    this.#api = api;
    this.search = search;
  }

  /** Loads the project's catalogue unless it is already loaded (or loading). */
  ensure(projectId: string): Promise<void> {
    if (this.#projectId === projectId && this.#loading) return this.#loading;
    this.#projectId = projectId;
    this.#loading = this.#load(projectId);
    return this.#loading;
  }

  async #load(projectId: string): Promise<void> {
    this.status = 'loading';
    // Another project's terms must not reach this project's index (label ids are per project).
    this.#termsVersion = null;
    this.search.setTerms([]);
    this.error = null;
    try {
      // In browser mode the 12 MB reply is parsed inside the worker, never on this thread.
      // Only the latest load installs its index: a slower one of a project left behind must not.
      const seq = ++this.#loadSeq;
      const wanted = (): boolean => this.#loadSeq === seq && this.#projectId === projectId;
      const loaded = this.#api.callText
        ? await this.search.load({ replyText: await this.#api.callText('labels.catalogue', { projectId }) }, wanted)
        : await this.search.load(await this.#api.call('labels.catalogue', { projectId }), wanted);
      if (!wanted()) return;
      this.size = loaded.size;
      this.buildMs = loaded.buildMs;
      await this.refreshCounts();
      this.status = 'ready';
      this.revision++;
    } catch (e) {
      if (this.#projectId !== projectId) return;
      this.status = 'error';
      this.error = e instanceof Error ? e.message : String(e);
      this.#loading = null;
    }
  }

  /**
   * Training counts and the words coders used per label (both follow annotation). The terms are
   * a help, not a must: without them (an older main side, an error) the picker searches the
   * catalogue alone.
   */
  async refreshCounts(): Promise<void> {
    const projectId = this.#projectId;
    if (!projectId) return;
    const [{ counts }, terms] = await Promise.all([this.#api.call('labels.counts', { projectId }), this.#api.call('labels.terms', { projectId }).catch(() => null)]);
    if (projectId !== this.#projectId) return;
    this.search.setCounts(counts);
    if (terms && terms.version !== this.#termsVersion) {
      this.#termsVersion = terms.version;
      this.search.setTerms(terms.labels);
    }
    this.revision++;
  }

  /** Reloads on label imports; refreshes counts (debounced) after annotation. */
  listen(): () => void {
    const off = this.#api.on('projects.changed', (c) => {
      if (c.projectId !== this.#projectId) return;
      if (c.what === 'labels' || c.what === 'documents') {
        this.#loading = null;
        void this.ensure(c.projectId);
      } else if (c.what === 'annotations') {
        if (this.#countsTimer) clearTimeout(this.#countsTimer);
        this.#countsTimer = setTimeout(() => void this.refreshCounts().catch(() => undefined), 1500);
      }
    });
    return () => {
      off();
      if (this.#countsTimer) clearTimeout(this.#countsTimer);
    };
  }

  dispose(): void {
    this.search.dispose();
  }
}
