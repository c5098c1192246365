import type { Api } from '../../api/api';
import { Generation } from '../../lib/generation';

/** The selected label's evidence: attended words (highlighted) and the keyword ranker's terms that raised it. */
export interface Evidence {
  docId: number;
  labelId: number;
  spans: { start: number; end: number; weight: number }[];
  terms: string[];
  /** Coded documents that read most like this one and carry the label (the neighbours' vote). */
  similar: { docId: number; similarity: number; excerpt: string }[];
}

/** What the evidence is wanted for now: the open document, the selected label, the serving model. */
export interface EvidenceTarget {
  docId: number;
  labelId: number;
  modelId: number;
}

/** Rows the cursor passes in less time than this ask nothing. */
const DEBOUNCE_MS = 60;

/**
 * Evidence that follows the cursor: debounced, so holding j does not fire a request per row, and
 * cached per model, document and label. A new model starts a new generation; a reply asked
 * under an older one is neither shown nor cached (issue #16).
 */
export class EvidenceFollower {
  current = $state.raw<Evidence | null>(null);
  /** The coder's toggle (e). */
  enabled = $state(true);

  readonly #api: Api;
  readonly #projectId: () => string;
  readonly #target: () => EvidenceTarget | null;
  readonly #models = new Generation();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, not rendered state
  readonly #cache = new Map<string, Omit<Evidence, 'docId' | 'labelId'>>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `target` is read when asking and again when the reply comes: a reply for a row left behind is not shown. */
  constructor(api: Api, projectId: () => string, target: () => EvidenceTarget | null) {
    this.#api = api;
    this.#projectId = projectId;
    this.#target = target;
  }

  /** Shows the evidence for the target now: from the cache at once, else after the debounce. */
  follow(): void {
    if (this.#timer) clearTimeout(this.#timer);
    const target = this.#target();
    if (!this.enabled || !target) return;
    const key = `${target.modelId}:${target.docId}:${target.labelId}`;
    const cached = this.#cache.get(key);
    if (cached) {
      this.current = { docId: target.docId, labelId: target.labelId, ...cached };
      return;
    }
    const generation = this.#models.current;
    this.#timer = setTimeout(() => void this.#fetch(target, key, generation), DEBOUNCE_MS);
  }

  toggle(): void {
    this.enabled = !this.enabled;
    this.follow();
  }

  /** Nothing shown until the next `follow()` (a new document, new suggestions). */
  clear(): void {
    this.current = null;
  }

  /** After a new model: every cached and asked-for evidence is the old model's. */
  modelChanged(): void {
    this.#models.next();
    this.#cache.clear();
  }

  async #fetch(target: EvidenceTarget, key: string, generation: number): Promise<void> {
    const { docId, labelId } = target;
    try {
      const r = await this.#api.call('evidence.get', { projectId: this.#projectId(), docId, labelIds: [labelId], k: 8 });
      if (!this.#models.isCurrent(generation)) return;
      const found = r.labels.find((l) => l.labelId === labelId);
      const got = { spans: found?.spans ?? [], terms: (found?.terms ?? []).map((t) => t.text), similar: found?.similar ?? [] };
      this.#cache.set(key, got);
      const now = this.#target();
      if (this.enabled && now?.docId === docId && now.labelId === labelId) this.current = { docId, labelId, ...got };
    } catch {
      // Evidence is an aid: without it the text simply shows unhighlighted.
    }
  }
}
