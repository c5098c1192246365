import { toApiError, type Api } from '../api/api';

/**
 * The annotator name of this install: asked once at first start (a name is recorded on every
 * decision), changeable from the sidebar. "Not now" hides the question for this session only:
 * decisions are then recorded without a name, which the per-annotator panel shows as such.
 */
export class AnnotatorState {
  name = $state<string | null>(null);
  loaded = $state(false);
  /** The dialog is open: at first start without a name, or when the coder asked to change it. */
  asking = $state(false);
  error = $state<string | null>(null);

  readonly #api: Api;
  constructor(api: Api) {
    this.#api = api;
  }

  async load(): Promise<void> {
    try {
      this.name = (await this.#api.call('annotator.get', {})).name;
      this.asking = this.name === null;
    } catch {
      // An older host without the method: nothing to ask, decisions go unnamed.
    } finally {
      this.loaded = true;
    }
  }

  change(): void {
    this.error = null;
    this.asking = true;
  }

  dismiss(): void {
    this.asking = false;
  }

  /** Resolves true once the name is stored; false (with `error`) when it was refused. */
  async save(name: string): Promise<boolean> {
    try {
      this.name = (await this.#api.call('annotator.set', { name })).name;
      this.asking = false;
      this.error = null;
      return true;
    } catch (e) {
      this.error = toApiError(e).message;
      return false;
    }
  }
}
