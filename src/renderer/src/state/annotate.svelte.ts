import type { AnnotationAction, AnnotationResult, DocStatus, DocumentDetail, QueueOutput, Suggestion } from '../../../shared/contract';
import { toApiError, type Api } from '../api/api';
import { saveFlag, savedFlag } from '../lib/saved-flag';
import { AnnotationWriter, describeEvent } from './annotate/annotation-writer.svelte';
import { acceptableSuggestions, BulkActions } from './annotate/bulk-actions.svelte';
import { DocumentCache, type LoadedDocument } from './annotate/document-cache.svelte';
import { EvidenceFollower, type EvidenceTarget } from './annotate/evidence-follower.svelte';
import { labelRows, type LabelRowView } from './annotate/label-rows';
import { QueuePager, type QueueSettings } from './annotate/queue-pager.svelte';

const ADVANCE_KEY = 'planter.annotate.advance';

/** Why the evidence toggle is off before the first model: evidence is the model's attention. */
export const EVIDENCE_NEEDS_MODEL = 'Evidence appears once a model is trained: it shows the words the model attends to.';

/**
 * The annotate view's state: the open document with the model's suggestions, the cursor the
 * keyboard moves, and the decisions on it. It composes four parts with one job each: the
 * `queue` (paging), the `documents` (cache and prefetch), the `evidence` (debounced, following
 * the cursor) and the `writer` (writes and undo); the document, queue item and history are
 * updated from each write's reply, so the UI never guesses what the main side stored.
 */
export class AnnotateState {
  readonly queue: QueuePager;
  readonly documents: DocumentCache;
  readonly evidence: EvidenceFollower;
  readonly writer: AnnotationWriter;
  readonly bulk: BulkActions;

  doc = $state.raw<DocumentDetail | null>(null);
  docLoading = $state(false);
  suggestions = $state.raw<Suggestion[]>([]);
  modelId = $state<number | null>(null);
  /** The document whose suggestions are on screen (the bench and tests wait on it). */
  suggestionsFor = $state<number | null>(null);
  /** Evidence is the model's attention: without a model the toggle is disabled, not on over nothing. */
  evidenceAvailable = $derived(this.modelId !== null);
  cursor = $state(0);
  notice = $state.raw<{ kind: 'info' | 'error'; text: string } | null>(null);
  /**
   * After accept / reject on a suggestion, move the selection to the next undecided suggestion
   * (Prodigy's habit). Off by default: a silent move made the next key act on a label the coder
   * was not looking at (issue #14). When on, every move is announced and the new row flashes.
   */
  advanceAfterDecision = $state(savedFlag(ADVANCE_KEY, false));
  /** The last automatic move of the selection, for the panel to flash the row it landed on. */
  moved = $state.raw<{ from: number; to: number; seq: number } | null>(null);

  rows: LabelRowView[] = $derived(labelRows(this.doc, this.suggestions));
  selected: LabelRowView | undefined = $derived(this.rows[Math.min(this.cursor, Math.max(0, this.rows.length - 1))]);
  /** Position of the open document in the queue page (−1 when it is not in it). */
  position = $derived.by(() => {
    const doc = this.doc;
    const page = this.queue.page;
    return doc && page ? page.items.findIndex((i) => i.docId === doc.id) : -1;
  });

  readonly #projectId: () => string;
  #openSeq = 0;
  #started = false;

  constructor(api: Api, projectId: () => string) {
    this.#projectId = projectId;
    this.queue = new QueuePager(api, projectId);
    this.documents = new DocumentCache(api, projectId);
    this.evidence = new EvidenceFollower(api, projectId, () => this.#evidenceTarget());
    this.writer = new AnnotationWriter(api, projectId, {
      applied: (r) => this.#applied(r),
      failed: (e) => (this.notice = { kind: 'error', text: e.message }),
    });
    this.bulk = new BulkActions(api, projectId, {
      applied: (r, what) => {
        this.writer.history = r.history;
        const text = r.changed > 0 ? `${what[0]?.toUpperCase() ?? ''}${what.slice(1)} — one undo step (u) takes it back` : 'Nothing to change.';
        if (r.changed === 0) this.notice = { kind: 'info', text };
        // Opening the document again clears the status line: the notice comes after.
        else void this.#reloadAfterBulk().then(() => (this.notice = { kind: 'info', text }));
      },
      failed: (e) => (this.notice = { kind: 'error', text: e.message }),
    });
  }

  // ---- bulk actions (issue #17) ----------------------------------------------------------------

  /** Shift+A: accepts every suggestion above its threshold on the open document, as one undo step. */
  async acceptAllAbove(): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    if (acceptableSuggestions(this.rows).length === 0) {
      this.notice = { kind: 'info', text: 'No undecided suggestion above its threshold on this document.' };
      return;
    }
    await this.bulk.acceptAbove(doc.id, this.rows);
  }

  /** b: opens the preview of the documents most similar to this one, to add the selected label to them. */
  labelSimilar(): Promise<void> {
    const doc = this.doc;
    const row = this.selected;
    if (!doc || !row) {
      this.notice = { kind: 'info', text: 'Select a label first: it is the one the similar documents get.' };
      return Promise.resolve();
    }
    const s = this.queue.settings;
    return this.bulk.openSimilar({ id: doc.id, extId: doc.extId }, { id: row.labelId, code: row.code }, { split: s.split, status: s.status });
  }

  /** B: asks to mark every document of the queue's split and status filter (its `scope`). */
  markQueue(status: DocStatus): void {
    const page = this.queue.page;
    if (!page) return;
    const s = this.queue.settings;
    this.bulk.askMark(status, { split: s.split, status: s.status }, page.scope);
  }

  /** Many documents changed at once: the cache forgets them all, the open one and the queue are read again. */
  async #reloadAfterBulk(): Promise<void> {
    this.documents.forgetAll();
    const doc = this.doc;
    const cursor = this.cursor;
    if (doc) {
      await this.open(doc.id);
      this.cursor = Math.min(cursor, Math.max(0, this.rows.length - 1));
    }
    await this.loadQueue();
  }

  get projectId(): string {
    return this.#projectId();
  }

  /** First load (once): the history (undo works across restarts), the queue, then its first document. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.writer.loadHistory();
    const page = await this.loadQueue(0);
    const first = page?.items[0];
    if (!this.doc && first) await this.open(first.docId);
  }

  // ---- queue --------------------------------------------------------------------------------

  async setSettings(patch: Partial<QueueSettings>, openFirst = false): Promise<void> {
    const page = await this.queue.configure(patch);
    this.#prefetchNext();
    const first = page?.items[0];
    if (openFirst && first) await this.open(first.docId);
  }

  /** Loads a queue page (by default the one asked for last) and prefetches the documents after the cursor. */
  async loadQueue(offset?: number): Promise<QueueOutput | null> {
    const page = await this.queue.load(offset);
    this.#prefetchNext();
    return page;
  }

  async nextDoc(): Promise<void> {
    await this.#step(1);
  }

  async prevDoc(): Promise<void> {
    await this.#step(-1);
  }

  async #step(delta: 1 | -1): Promise<void> {
    const q = this.queue.page;
    if (!q) return;
    const at = this.position;
    const target = at < 0 ? (delta > 0 ? 0 : -1) : at + delta;
    const item = target >= 0 ? q.items[target] : undefined;
    if (item) return this.open(item.docId);
    const offset = delta > 0 ? this.queue.nextOffset : this.queue.prevOffset;
    if (offset === null) {
      this.notice = { kind: 'info', text: delta > 0 ? 'End of the queue.' : 'Start of the queue.' };
      return;
    }
    const page = await this.loadQueue(offset);
    const land = delta > 0 ? page?.items[0] : page?.items.at(-1);
    if (land) return this.open(land.docId);
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
    let loaded: LoadedDocument | undefined = this.documents.peek(docId);
    if (!loaded) {
      this.docLoading = true;
      try {
        loaded = await this.documents.load(docId);
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
    this.evidence.clear();
    this.evidence.follow();
    this.#prefetchNext();
  }

  /** Loads the next queue documents in the background, so `n` and `d` open them without waiting. */
  #prefetchNext(): void {
    const q = this.queue.page;
    if (q) this.documents.prefetch(q.items.slice(this.position + 1).map((i) => i.docId));
  }

  /** After a new model: suggestions and evidence are stale everywhere. */
  async modelChanged(): Promise<void> {
    this.documents.modelChanged();
    this.evidence.modelChanged();
    const doc = this.doc;
    if (!doc) return;
    const s = await this.documents.suggest(doc.id);
    // A newer model came meanwhile (its own refresh shows it), or another document was opened.
    if (!s || this.doc?.id !== doc.id) return;
    this.suggestions = s.labels;
    this.modelId = s.modelId;
    this.suggestionsFor = doc.id;
    this.evidence.clear();
    this.evidence.follow();
    const order = this.queue.settings.strategy;
    if (order !== 'sequential' && order !== 'search') void this.loadQueue();
  }

  // ---- cursor and evidence -------------------------------------------------------------------

  move(delta: number): void {
    const n = this.rows.length;
    if (n === 0) return;
    this.cursor = Math.max(0, Math.min(n - 1, this.cursor + delta));
    this.evidence.follow();
  }

  select(labelId: number): void {
    const i = this.rows.findIndex((r) => r.labelId === labelId);
    if (i >= 0) {
      this.cursor = i;
      this.evidence.follow();
    }
  }

  toggleEvidence(): void {
    if (!this.evidenceAvailable) {
      this.notice = { kind: 'info', text: EVIDENCE_NEEDS_MODEL };
      return;
    }
    this.evidence.toggle();
  }

  #evidenceTarget(): EvidenceTarget | null {
    const doc = this.doc;
    const row = this.selected;
    const modelId = this.modelId;
    return doc && row && modelId !== null ? { docId: doc.id, labelId: row.labelId, modelId } : null;
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
    // The suggestion's score goes with a decision on it (the provenance records what was accepted).
    const score = row?.section === 'suggestion' && (action === 'accept' || action === 'reject') ? (row.score ?? undefined) : undefined;
    const r = await this.writer.apply(doc.id, id, action, score);
    if (!r) return;
    if (labelId !== undefined) {
      this.select(labelId);
      return;
    }
    if (!row || (action !== 'accept' && action !== 'reject')) return;
    const done = `${action === 'accept' ? 'Accepted' : 'Rejected'} ${row.code}`;
    const at = this.rows.findIndex((x) => x.labelId === row.labelId);
    const next = this.rows.findIndex((x, i) => i > at && x.section === 'suggestion' && x.state === 'none');
    const nextRow = next >= 0 ? this.rows[next] : undefined;
    if (mayAdvance && this.advanceAfterDecision && row.section === 'suggestion' && nextRow) {
      this.cursor = next;
      this.moved = { from: row.labelId, to: nextRow.labelId, seq: (this.moved?.seq ?? 0) + 1 };
      this.notice = { kind: 'info', text: `${done} — moved to ${nextRow.code}, the next undecided suggestion` };
      this.evidence.follow();
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
    const r = await this.writer.setStatus(doc.id, status);
    if (r && advance) await this.nextDoc();
  }

  async undo(): Promise<void> {
    await this.#travel('undo');
  }

  async redo(): Promise<void> {
    await this.#travel('redo');
  }

  async #travel(direction: 'undo' | 'redo'): Promise<void> {
    const r = await this.writer.travel(direction);
    if (!r) return;
    if (!r.event) {
      this.notice = { kind: 'info', text: direction === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.' };
      return;
    }
    const text = `${direction === 'undo' ? 'Undid' : 'Redid'}: ${describeEvent(r.event)}`;
    if ((r.event.batchSize ?? 1) > 1) {
      // A bulk action: every document it touched changed back (or again), not only this one.
      await this.#reloadAfterBulk();
      this.notice = { kind: 'info', text };
      return;
    }
    // The history is project-wide: go to the document the undone action was on.
    if (this.doc?.id !== r.event.docId) {
      this.documents.forget(r.event.docId);
      await this.open(r.event.docId);
    }
    if (r.event.labelId !== null) this.select(r.event.labelId);
    this.notice = { kind: 'info', text: `${direction === 'undo' ? 'Undid' : 'Redid'}: ${describeEvent(r.event)}` };
  }

  /** Takes the main side's word for the document and its queue item (the writer keeps the history). */
  #applied(r: AnnotationResult): void {
    const d = r.document;
    if (!d) return;
    this.documents.patch(d.docId, d.status, d.labels);
    if (this.doc?.id === d.docId) this.doc = { ...this.doc, status: d.status, labels: d.labels };
    this.queue.applyWrite(r);
  }
}
