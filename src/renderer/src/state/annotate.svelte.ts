import type {
  AnnotationAction,
  AnnotationEvent,
  AnnotationResult,
  AssignmentSource,
  DocStatus,
  DocumentDetail,
  HistoryState,
  QueueOutput,
  QueueProgress,
  QueueStrategy,
  StatusCounts,
  Suggestion,
} from '../../../shared/contract';
import { toApiError, type Api } from '../api/api';

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

/** One line of the suggestions panel: a model suggestion, a label on the document, or both. */
export interface LabelRowView {
  labelId: number;
  code: string;
  title: string;
  /** The model's score, when it suggested the label. */
  score: number | null;
  /** The score clears the model's tuned threshold. */
  assigned: boolean;
  trainCount: number | null;
  /** What the document says about the label now. */
  state: 'present' | 'rejected' | 'none';
  source: AssignmentSource | null;
  section: 'suggestion' | 'document';
}

/**
 * Whether the model side answers: `unknown` before the first call, `none` (no model trained
 * yet), `ready`, or `unavailable` (this build has no suggestion service).
 */
export type ModelState = 'unknown' | 'none' | 'ready' | 'unavailable';

interface Loaded {
  detail: DocumentDetail;
  suggestions: Suggestion[];
  modelId: number | null;
}

const PAGE = 50;
const ADVANCE_KEY = 'planter.annotate.advance';

/** Reads a saved preference; no storage (tests, a locked-down browser) means the default. */
function savedFlag(key: string, fallback: boolean): boolean {
  try {
    const v = globalThis.localStorage?.getItem(key);
    return v === null || v === undefined ? fallback : v === '1';
  } catch {
    return fallback;
  }
}

function saveFlag(key: string, value: boolean): void {
  try {
    globalThis.localStorage?.setItem(key, value ? '1' : '0');
  } catch {
    // Not saved: the choice still holds for this session.
  }
}
const CACHE_SIZE = 8;
/** Documents loaded ahead of the cursor (two: `d` then `n` quickly still finds one ready). */
const PREFETCH = 2;
export const SUGGESTIONS_TOP = 15;
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

/** Why the evidence toggle is off before the first model: evidence is the model's attention. */
export const EVIDENCE_NEEDS_MODEL = 'Evidence appears once a model is trained: it shows the words the model attends to.';

/** "accept E11.9 on S0004-…", for notices and the undo button's title. */
export function describeEvent(e: AnnotationEvent): string {
  if (e.action === 'status') return `mark ${e.extId} ${e.statusAfter ?? ''}`.trim();
  return `${e.action} ${e.code ?? `label ${e.labelId}`} on ${e.extId}`;
}

/**
 * The annotate view's state: the queue, the open document with the model's suggestions and
 * evidence, the cursor the keyboard moves, and undo/redo. Every write goes through
 * `annotations.*`; the document, queue item and history are updated from the reply, so the UI
 * never guesses what the main side stored.
 */
export class AnnotateState {
  settings = $state<QueueSettings>({ strategy: 'rare-first', split: 'pool', status: 'pending', query: '', label: null, similarTo: null, seed: 1 });
  queue = $state.raw<QueueOutput | null>(null);
  queueOffset = $state(0);
  queueLoading = $state(false);
  queueError = $state<string | null>(null);
  doc = $state.raw<DocumentDetail | null>(null);
  docLoading = $state(false);
  suggestions = $state.raw<Suggestion[]>([]);
  modelId = $state<number | null>(null);
  modelState = $state<ModelState>('unknown');
  /** The document whose suggestions are on screen (the bench and tests wait on it). */
  suggestionsFor = $state<number | null>(null);
  /** The selected label's evidence: attended words (highlighted) and the keyword ranker's terms that raised it. */
  evidence = $state.raw<{ docId: number; labelId: number; spans: { start: number; end: number; weight: number }[]; terms: string[] } | null>(null);
  showEvidence = $state(true);
  /** Evidence is the model's attention: without a model the toggle is disabled, not on over nothing. */
  evidenceAvailable = $derived(this.modelId !== null);
  cursor = $state(0);
  history = $state.raw<HistoryState>({ undo: null, redo: null });
  notice = $state.raw<{ kind: 'info' | 'error'; text: string } | null>(null);
  busy = $state(false);
  /**
   * After accept / reject on a suggestion, move the selection to the next undecided suggestion
   * (Prodigy's habit). Off by default: a silent move made the next key act on a label the coder
   * was not looking at (issue #14). When on, every move is announced and the new row flashes.
   */
  advanceAfterDecision = $state(savedFlag(ADVANCE_KEY, false));
  /** The last automatic move of the selection, for the panel to flash the row it landed on. */
  moved = $state.raw<{ from: number; to: number; seq: number } | null>(null);

  rows: LabelRowView[] = $derived.by(() => {
    const doc = this.doc;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built fresh by the $derived, never mutated
    const byLabel = new Map((doc?.labels ?? []).map((l) => [l.labelId, l]));
    const out: LabelRowView[] = this.suggestions.map((s) => {
      const l = byLabel.get(s.labelId);
      return {
        labelId: s.labelId,
        code: s.code,
        title: s.title,
        score: s.score,
        assigned: s.assigned,
        trainCount: s.trainCount,
        state: l ? (l.present ? 'present' : 'rejected') : 'none',
        source: l?.source ?? null,
        section: 'suggestion',
      };
    });
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built fresh by the $derived, never mutated
    const suggested = new Set(this.suggestions.map((s) => s.labelId));
    for (const l of doc?.labels ?? []) {
      if (suggested.has(l.labelId)) continue;
      out.push({ labelId: l.labelId, code: l.code, title: l.title, score: null, assigned: false, trainCount: null, state: l.present ? 'present' : 'rejected', source: l.source, section: 'document' });
    }
    return out;
  });
  selected: LabelRowView | undefined = $derived(this.rows[Math.min(this.cursor, Math.max(0, this.rows.length - 1))]);
  /** Position of the open document in the queue page (−1 when it is not in it). */
  position = $derived(this.doc && this.queue ? this.queue.items.findIndex((i) => i.docId === this.doc!.id) : -1);

  readonly #api: Api;
  readonly #projectId: () => string;
  // Plain maps on purpose: caches, not rendered state.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #cache = new Map<number, Loaded>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #inflight = new Map<number, Promise<Loaded>>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #evidenceCache = new Map<string, { spans: { start: number; end: number; weight: number }[]; terms: string[] }>();
  #openSeq = 0;
  #queueSeq = 0;
  #started = false;
  #evidenceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: Api, projectId: () => string) {
    this.#api = api;
    this.#projectId = projectId;
  }

  get projectId(): string {
    return this.#projectId();
  }

  /** First load (once): the history (undo works across restarts), the queue, then its first document. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    void this.#api
      .call('annotations.history', { projectId: this.projectId, limit: 1 })
      .then((h) => (this.history = h.history))
      .catch(() => undefined);
    await this.loadQueue(0);
    const first = this.queue?.items[0];
    if (!this.doc && first) await this.open(first.docId);
  }

  // ---- queue --------------------------------------------------------------------------------

  async setSettings(patch: Partial<QueueSettings>, openFirst = false): Promise<void> {
    this.settings = { ...this.settings, ...patch };
    await this.loadQueue(0);
    const first = this.queue?.items[0];
    if (openFirst && first) await this.open(first.docId);
  }

  async loadQueue(offset = this.queueOffset): Promise<void> {
    const seq = ++this.#queueSeq;
    const s = this.settings;
    if ((s.strategy === 'search' && !s.query.trim()) || (s.strategy === 'by-label' && !s.label) || (s.strategy === 'similar' && !s.similarTo)) {
      this.queue = null;
      this.queueError = s.strategy === 'search' ? 'Type words to search for.' : s.strategy === 'by-label' ? 'Pick a label first (g on a label, or from the picker).' : 'Open a document and press f.';
      return;
    }
    this.queueLoading = true;
    try {
      const r = await this.#api.call('queue.next', {
        projectId: this.projectId,
        strategy: s.strategy,
        split: s.split,
        statuses: s.status === 'all' ? STATUSES : [s.status],
        seed: s.seed,
        offset,
        limit: PAGE,
        ...(s.strategy === 'search' ? { query: s.query } : {}),
        ...(s.strategy === 'by-label' && s.label ? { labelId: s.label.id } : {}),
        ...(s.strategy === 'similar' && s.similarTo ? { docId: s.similarTo.id } : {}),
      });
      if (seq !== this.#queueSeq) return;
      this.queue = r;
      this.queueOffset = offset;
      this.queueError = null;
      this.#prefetchNext();
    } catch (e) {
      if (seq === this.#queueSeq) this.queueError = toApiError(e).message;
    } finally {
      if (seq === this.#queueSeq) this.queueLoading = false;
    }
  }

  async nextDoc(): Promise<void> {
    await this.#step(1);
  }

  async prevDoc(): Promise<void> {
    await this.#step(-1);
  }

  async #step(delta: 1 | -1): Promise<void> {
    const q = this.queue;
    if (!q) return;
    const at = this.position;
    const target = at < 0 ? (delta > 0 ? 0 : -1) : at + delta;
    if (target >= 0 && target < q.items.length) return this.open(q.items[target]!.docId);
    if (delta > 0 && this.queueOffset + q.items.length < q.total) {
      await this.loadQueue(this.queueOffset + PAGE);
      const first = this.queue?.items[0];
      if (first) return this.open(first.docId);
    } else if (delta < 0 && this.queueOffset > 0) {
      await this.loadQueue(Math.max(0, this.queueOffset - PAGE));
      const last = this.queue?.items.at(-1);
      if (last) return this.open(last.docId);
    } else this.notice = { kind: 'info', text: delta > 0 ? 'End of the queue.' : 'Start of the queue.' };
  }

  findSimilar(): Promise<void> {
    if (!this.doc) return Promise.resolve();
    return this.setSettings({ strategy: 'similar', similarTo: { id: this.doc.id, extId: this.doc.extId } });
  }

  findMoreOf(label: { id: number; code: string }): Promise<void> {
    return this.setSettings({ strategy: 'by-label', label });
  }

  // ---- document -----------------------------------------------------------------------------

  /** Opens a document: from the prefetch cache at once, else document + suggestions in parallel. */
  async open(docId: number): Promise<void> {
    const seq = ++this.#openSeq;
    this.notice = null;
    let loaded = this.#cache.get(docId);
    if (!loaded) {
      this.docLoading = true;
      try {
        loaded = await this.#load(docId);
      } catch (e) {
        if (seq === this.#openSeq) this.notice = { kind: 'error', text: toApiError(e).message };
        return;
      } finally {
        if (seq === this.#openSeq) this.docLoading = false;
      }
      if (seq !== this.#openSeq) return;
    }
    this.doc = loaded.detail;
    this.suggestions = loaded.suggestions;
    this.modelId = loaded.modelId;
    this.suggestionsFor = docId;
    this.cursor = 0;
    this.evidence = null;
    this.#scheduleEvidence();
    this.#prefetchNext();
  }

  /** One request pair per document at a time: opening a document being prefetched waits for it. */
  #load(docId: number): Promise<Loaded> {
    let pending = this.#inflight.get(docId);
    if (!pending) {
      const projectId = this.projectId;
      pending = Promise.all([this.#api.call('documents.get', { projectId, docId }), this.#suggest(docId)])
        .then(([detail, s]) => {
          const loaded = { detail, suggestions: s.labels, modelId: s.modelId };
          this.#remember(docId, loaded);
          return loaded;
        })
        .finally(() => this.#inflight.delete(docId));
      this.#inflight.set(docId, pending);
    }
    return pending;
  }

  /** The model's suggestions; without a model (or a suggestion service) an empty list and a state. */
  async #suggest(docId: number): Promise<{ modelId: number | null; labels: Suggestion[] }> {
    if (this.modelState === 'unavailable') return { modelId: null, labels: [] };
    try {
      const r = await this.#api.call('suggestions.get', { projectId: this.projectId, docId, top: SUGGESTIONS_TOP });
      this.modelState = r.modelId === null ? 'none' : 'ready';
      return r;
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'unknown-method') this.modelState = 'unavailable';
      else if (err.code === 'not-found' || err.code === 'unavailable') this.modelState = 'none';
      else throw err;
      return { modelId: null, labels: [] };
    }
  }

  #remember(docId: number, loaded: Loaded): void {
    this.#cache.delete(docId);
    this.#cache.set(docId, loaded);
    while (this.#cache.size > CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
  }

  /** Loads the next queue documents in the background, so `n` and `d` open them without waiting. */
  #prefetchNext(): void {
    const q = this.queue;
    if (!q) return;
    for (const next of q.items.slice(this.position + 1, this.position + 1 + PREFETCH)) {
      if (!this.#cache.has(next.docId)) void this.#load(next.docId).catch(() => undefined);
    }
  }

  /** After a new model: suggestions and evidence are stale everywhere. */
  async modelChanged(): Promise<void> {
    this.#cache.clear();
    this.#inflight.clear();
    this.#evidenceCache.clear();
    if (this.modelState !== 'unavailable') this.modelState = 'unknown';
    const doc = this.doc;
    if (!doc) return;
    const s = await this.#suggest(doc.id);
    if (this.doc?.id !== doc.id) return;
    this.suggestions = s.labels;
    this.modelId = s.modelId;
    this.suggestionsFor = doc.id;
    this.evidence = null;
    this.#scheduleEvidence();
    if (this.settings.strategy !== 'sequential' && this.settings.strategy !== 'search') void this.loadQueue();
  }

  // ---- cursor and evidence -------------------------------------------------------------------

  move(delta: number): void {
    const n = this.rows.length;
    if (n === 0) return;
    this.cursor = Math.max(0, Math.min(n - 1, this.cursor + delta));
    this.#scheduleEvidence();
  }

  select(labelId: number): void {
    const i = this.rows.findIndex((r) => r.labelId === labelId);
    if (i >= 0) {
      this.cursor = i;
      this.#scheduleEvidence();
    }
  }

  toggleEvidence(): void {
    if (!this.evidenceAvailable) {
      this.notice = { kind: 'info', text: EVIDENCE_NEEDS_MODEL };
      return;
    }
    this.showEvidence = !this.showEvidence;
    this.#scheduleEvidence();
  }

  /** Evidence follows the cursor, debounced so holding j does not fire a request per row. */
  #scheduleEvidence(): void {
    if (this.#evidenceTimer) clearTimeout(this.#evidenceTimer);
    const doc = this.doc;
    const row = this.selected;
    if (!this.showEvidence || !doc || !row || this.modelId === null) return;
    const key = `${this.modelId}:${doc.id}:${row.labelId}`;
    const cached = this.#evidenceCache.get(key);
    if (cached) {
      this.evidence = { docId: doc.id, labelId: row.labelId, ...cached };
      return;
    }
    this.#evidenceTimer = setTimeout(() => void this.#fetchEvidence(doc.id, row.labelId, key), 60);
  }

  async #fetchEvidence(docId: number, labelId: number, key: string): Promise<void> {
    try {
      const r = await this.#api.call('evidence.get', { projectId: this.projectId, docId, labelIds: [labelId], k: 8 });
      const found = r.labels.find((l) => l.labelId === labelId);
      const got = { spans: found?.spans ?? [], terms: (found?.terms ?? []).map((t) => t.text) };
      this.#evidenceCache.set(key, got);
      if (this.doc?.id === docId && this.selected?.labelId === labelId && this.showEvidence) this.evidence = { docId, labelId, ...got };
    } catch {
      // Evidence is an aid: without it the text simply shows unhighlighted.
    }
  }

  setAdvanceAfterDecision(on: boolean): void {
    this.advanceAfterDecision = on;
    saveFlag(ADVANCE_KEY, on);
  }

  // ---- annotation ---------------------------------------------------------------------------

  accept(): Promise<void> {
    return this.#act('accept');
  }

  /** Number keys: accepts the n-th suggestion (1 = the top one) and selects it, whatever the cursor. */
  async acceptNth(n: number): Promise<void> {
    const target = this.rows.filter((r) => r.section === 'suggestion')[n - 1];
    if (!target) {
      this.notice = { kind: 'info', text: `There is no suggestion ${n}.` };
      return;
    }
    this.select(target.labelId);
    await this.#act('accept', undefined, false);
  }

  reject(): Promise<void> {
    return this.#act('reject');
  }

  remove(): Promise<void> {
    return this.#act('remove');
  }

  /** A label the model missed, from the picker. */
  add(labelId: number): Promise<void> {
    return this.#act('add', labelId);
  }

  async #act(action: AnnotationAction, labelId?: number, mayAdvance = true): Promise<void> {
    const doc = this.doc;
    const row = labelId === undefined ? this.selected : undefined;
    const id = labelId ?? row?.labelId;
    if (!doc || id === undefined) return;
    const r = await this.#write(() => this.#api.call('annotations.apply', { projectId: this.projectId, docId: doc.id, labelId: id, action }));
    if (!r) return;
    if (labelId !== undefined) {
      this.select(labelId);
      return;
    }
    if (!row || (action !== 'accept' && action !== 'reject')) return;
    const done = `${action === 'accept' ? 'Accepted' : 'Rejected'} ${row.code}`;
    const at = this.rows.findIndex((x) => x.labelId === row.labelId);
    const next = this.rows.findIndex((x, i) => i > at && x.section === 'suggestion' && x.state === 'none');
    if (mayAdvance && this.advanceAfterDecision && row.section === 'suggestion' && next >= 0) {
      this.cursor = next;
      this.moved = { from: row.labelId, to: this.rows[next]!.labelId, seq: (this.moved?.seq ?? 0) + 1 };
      this.notice = { kind: 'info', text: `${done} — moved to ${this.rows[next]!.code}, the next undecided suggestion` };
      this.#scheduleEvidence();
    } else {
      // The selection stays on the label just decided (the cursor follows it if rows shifted).
      if (at >= 0) this.cursor = at;
      this.notice = { kind: 'info', text: `${done}; the selection stays on it` };
    }
  }

  /** Marks the document done / skipped / for review and, by default, moves to the next one. */
  async setStatus(status: DocStatus, advance = true): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const r = await this.#write(() => this.#api.call('annotations.setStatus', { projectId: this.projectId, docId: doc.id, status }));
    if (r && advance) await this.nextDoc();
  }

  async undo(): Promise<void> {
    await this.#travel('undo');
  }

  async redo(): Promise<void> {
    await this.#travel('redo');
  }

  async #travel(direction: 'undo' | 'redo'): Promise<void> {
    const r = await this.#write(() => this.#api.call(direction === 'undo' ? 'annotations.undo' : 'annotations.redo', { projectId: this.projectId }));
    if (!r) return;
    if (!r.event) {
      this.notice = { kind: 'info', text: direction === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.' };
      return;
    }
    // The history is project-wide: go to the document the undone action was on.
    if (this.doc?.id !== r.event.docId) {
      this.#cache.delete(r.event.docId);
      await this.open(r.event.docId);
    }
    if (r.event.labelId !== null) this.select(r.event.labelId);
    this.notice = { kind: 'info', text: `${direction === 'undo' ? 'Undid' : 'Redid'}: ${describeEvent(r.event)}` };
  }

  async #write(run: () => Promise<AnnotationResult>): Promise<AnnotationResult | null> {
    this.busy = true;
    try {
      const r = await run();
      this.#apply(r);
      return r;
    } catch (e) {
      this.notice = { kind: 'error', text: toApiError(e).message };
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** Takes the main side's word for the document, its queue item and the history. */
  #apply(r: AnnotationResult): void {
    this.history = r.history;
    const d = r.document;
    if (!d) return;
    const cached = this.#cache.get(d.docId);
    if (cached) this.#cache.set(d.docId, { ...cached, detail: { ...cached.detail, status: d.status, labels: d.labels } });
    if (this.doc?.id === d.docId) this.doc = { ...this.doc, status: d.status, labels: d.labels };
    const q = this.queue;
    if (!q) return;
    // The counters come from the main side after every write (a document off this page, an
    // undo of a status change: counting here went stale, issue #14 bug 1).
    const progress = progressOf(r.statusCounts, q.progress.split);
    const labelCount = d.labels.filter((l) => l.present).length;
    this.queue = { ...q, progress, items: q.items.map((i) => (i.docId === d.docId ? { ...i, status: d.status, labelCount } : i)) };
  }
}
