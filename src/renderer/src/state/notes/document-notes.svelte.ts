import type { StoredNote } from '../../../../shared/contract';
import { SvelteMap } from 'svelte/reactivity';
import { toApiError, type Api } from '../../api/api';
import { AutosavedText } from './autosaved-text.svelte';

/**
 * The open document's notes: its own note and one per label, each a field that saves itself.
 * A field's save names the document it was made for, so a save that lands after the coder moved
 * on still goes to the right document. Switching documents flushes what was typed first.
 */
export class DocumentNotes {
  docId = $state<number | null>(null);
  /** The document's own note (null before the first load). */
  document = $state.raw<AutosavedText | null>(null);
  /** Notes per label id: those stored, and any the coder opened. */
  readonly labels = new SvelteMap<number, AutosavedText>();
  /** The label whose note editor is open. */
  editing = $state.raw<{ labelId: number; code: string } | null>(null);
  error = $state<string | null>(null);
  /** Labels with a note on screen (the label rows mark them). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- made anew by the derived, never mutated
  noted: ReadonlySet<number> = $derived(new Set([...this.labels].filter(([, f]) => f.text.trim() !== '').map(([id]) => id)));

  readonly #api: Api;
  readonly #projectId: () => string;
  readonly #delayMs: number;
  #loadSeq = 0;

  constructor(api: Api, projectId: () => string, delayMs = 800) {
    this.#api = api;
    this.#projectId = projectId;
    this.#delayMs = delayMs;
  }

  /** Reads the notes of `docId` (after sending what was typed on the previous document). */
  async load(docId: number): Promise<void> {
    if (this.docId === docId && this.document) return;
    const seq = ++this.#loadSeq;
    void this.flush();
    for (const f of this.#fields()) f.dispose();
    this.docId = docId;
    this.editing = null;
    this.error = null;
    this.document = null;
    this.labels.clear();
    let notes: StoredNote[];
    try {
      notes = (await this.#api.call('notes.get', { projectId: this.#projectId(), docId })).notes;
    } catch (e) {
      if (seq === this.#loadSeq) this.error = toApiError(e).message;
      return;
    }
    if (seq !== this.#loadSeq) return;
    const own = notes.find((n) => n.labelId === null);
    this.document = this.#field(docId, null, own);
    for (const n of notes) if (n.labelId !== null) this.labels.set(n.labelId, this.#field(docId, n.labelId, n));
  }

  /** The note field of a label on the open document (made empty when it has none). */
  labelField(labelId: number): AutosavedText | null {
    const docId = this.docId;
    if (docId === null || !this.document) return null;
    const existing = this.labels.get(labelId);
    if (existing) return existing;
    const made = this.#field(docId, labelId, undefined);
    this.labels.set(labelId, made);
    return made;
  }

  openLabel(labelId: number, code: string): void {
    if (this.labelField(labelId)) this.editing = { labelId, code };
  }

  closeLabel(): void {
    const open = this.editing;
    this.editing = null;
    if (open) void this.labels.get(open.labelId)?.flush();
  }

  /** Sends every unsaved note now (on blur, before switching documents, when the view closes). */
  async flush(): Promise<void> {
    await Promise.all(this.#fields().map((f) => f.flush()));
  }

  #fields(): AutosavedText[] {
    return [...(this.document ? [this.document] : []), ...this.labels.values()];
  }

  #field(docId: number, labelId: number | null, note: StoredNote | undefined): AutosavedText {
    const projectId = this.#projectId();
    return new AutosavedText(
      async (text) => {
        const r = await this.#api.call('notes.set', { projectId, docId, text, ...(labelId === null ? {} : { labelId }) });
        return r.note?.updatedAt ?? null;
      },
      { text: note?.text ?? '', savedAt: note?.updatedAt ?? null },
      this.#delayMs,
    );
  }
}
