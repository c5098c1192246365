import { toApiError, type Api } from '../../api/api';

/**
 * The project's guidelines page: the stored Markdown, and a draft while it is being edited. The
 * draft outlives closing the page (Esc), so a half-written rule is not lost; saving or
 * discarding ends it. Another project's guidelines replace it all.
 */
export class GuidelinesState {
  text = $state('');
  updatedAt = $state<string | null>(null);
  /** The text being edited; null when the page shows the rendered guidelines. */
  draft = $state<string | null>(null);
  loading = $state(false);
  saving = $state(false);
  error = $state<string | null>(null);

  readonly #api: Api;
  readonly #projectId: () => string | null;
  #loadedFor: string | null = null;

  constructor(api: Api, projectId: () => string | null) {
    this.#api = api;
    this.#projectId = projectId;
  }

  get editing(): boolean {
    return this.draft !== null;
  }

  async load(): Promise<void> {
    const projectId = this.#projectId();
    if (!projectId) return;
    if (projectId !== this.#loadedFor) this.draft = null;
    this.loading = true;
    this.error = null;
    try {
      const g = await this.#api.call('guidelines.get', { projectId });
      if (this.#projectId() !== projectId) return;
      this.text = g.text;
      this.updatedAt = g.updatedAt;
      this.#loadedFor = projectId;
    } catch (e) {
      this.error = toApiError(e).message;
    } finally {
      this.loading = false;
    }
  }

  edit(): void {
    this.draft ??= this.text;
  }

  discard(): void {
    this.draft = null;
  }

  /** Stores the draft; the page shows it rendered afterwards. False when it failed (the draft stays). */
  async save(): Promise<boolean> {
    const projectId = this.#loadedFor;
    const draft = this.draft;
    if (draft === null || !projectId) return false;
    this.saving = true;
    this.error = null;
    try {
      const g = await this.#api.call('guidelines.set', { projectId, text: draft });
      this.text = g.text;
      this.updatedAt = g.updatedAt;
      if (this.draft === draft) this.draft = null;
      return true;
    } catch (e) {
      this.error = toApiError(e).message;
      return false;
    } finally {
      this.saving = false;
    }
  }
}
