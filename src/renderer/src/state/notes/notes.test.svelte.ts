import { describe, expect, it } from 'vitest';
import type { Input, Output, StoredNote } from '../../../../shared/contract';
import { FakeApi, settle } from '../../testing/fake-api';
import { AutosavedText } from './autosaved-text.svelte';
import { DocumentNotes } from './document-notes.svelte';
import { GuidelinesState } from './guidelines.svelte';
import { NoteSearch } from './note-search.svelte';

const note = (labelId: number | null, text: string): StoredNote => ({ labelId, code: labelId === null ? null : `L${labelId}`, text, updatedAt: '2026-12-02T05:00:00.000Z', author: null });

/** A notes store in memory behind notes.get / notes.set, keyed `doc:label`. */
function notesApi(initial: Record<string, string> = {}): { api: FakeApi; stored: Map<string, string> } {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- the fake main side's table, not UI state
  const stored = new Map(Object.entries(initial));
  const api = new FakeApi()
    .handle('notes.get', ({ docId }) => ({
      docId,
      notes: [...stored].filter(([k]) => k.startsWith(`${docId}:`)).map(([k, text]) => note(k.endsWith(':') ? null : Number(k.split(':')[1]), text)),
    }))
    .handle('notes.set', ({ docId, labelId, text }: Input<'notes.set'>): Output<'notes.set'> => {
      const key = `${docId}:${labelId ?? ''}`;
      if (text.trim() === '') stored.delete(key);
      else stored.set(key, text);
      return { docId, labelId: labelId ?? null, note: text.trim() ? { ...note(labelId ?? null, text), updatedAt: `saved ${text}` } : null };
    });
  return { api, stored };
}

describe('AutosavedText', () => {
  it('saves after a pause in typing, once, with the last text', async () => {
    const saves: string[] = [];
    const field = new AutosavedText(async (t) => (saves.push(t), `at ${t}`), { text: '', savedAt: null }, 20);
    field.edit('a');
    field.edit('ab');
    expect(field.state).toBe('editing');
    await settle(60);
    expect(saves).toEqual(['ab']);
    expect(field.state).toBe('saved');
    expect(field.savedAt).toBe('at ab');
  });

  it('flush saves at once; typing back to the stored text needs no save', async () => {
    const saves: string[] = [];
    const field = new AutosavedText(async (t) => (saves.push(t), 'now'), { text: 'kept', savedAt: 'then' }, 10_000);
    field.edit('kept!');
    field.edit('kept');
    expect(field.state).toBe('saved');
    await field.flush();
    expect(saves).toEqual([]);
    field.edit('new');
    await field.flush();
    expect(saves).toEqual(['new']);
  });

  it('text typed during a save is sent after it, never lost', async () => {
    const saves: string[] = [];
    let release: () => void = () => {};
    const field = new AutosavedText((t) => new Promise((r) => (saves.push(t), (release = () => r('now')))), { text: '', savedAt: null }, 10_000);
    field.edit('first');
    const flushing = field.flush();
    await settle();
    expect(field.state).toBe('saving');
    field.edit('first and more');
    release();
    await settle();
    release();
    await flushing;
    expect(saves).toEqual(['first', 'first and more']);
    expect(field.state).toBe('saved');
  });

  it('a failed save says why and keeps the text; the next flush tries again', async () => {
    let fail = true;
    const field = new AutosavedText(async () => {
      if (fail) throw new Error('disk full');
      return 'now';
    });
    field.edit('precious');
    await field.flush();
    expect([field.state, field.error, field.text]).toEqual(['failed', 'disk full', 'precious']);
    fail = false;
    await field.flush();
    expect(field.state).toBe('saved');
  });
});

describe('DocumentNotes', () => {
  it('loads the document note and label notes, and marks the noted labels', async () => {
    const { api } = notesApi({ '1:': 'doc note', '1:7': 'label note', '2:': 'other doc' });
    const notes = new DocumentNotes(api, () => 'p', 10);
    await notes.load(1);
    expect(notes.document?.text).toBe('doc note');
    expect(notes.labels.get(7)?.text).toBe('label note');
    expect([...notes.noted]).toEqual([7]);
  });

  it('a note typed on one document is saved to it even after moving to the next', async () => {
    const { api, stored } = notesApi();
    const notes = new DocumentNotes(api, () => 'p', 10_000);
    await notes.load(1);
    notes.document!.edit('about doc 1');
    await notes.load(2);
    await settle();
    expect(stored.get('1:')).toBe('about doc 1');
    expect(notes.document?.text).toBe('');
    expect(api.callsOf('notes.set')).toEqual([{ projectId: 'p', docId: 1, text: 'about doc 1' }]);
  });

  it('opens a label note editor, saves it with its label, and emptying deletes it', async () => {
    const { api, stored } = notesApi();
    const notes = new DocumentNotes(api, () => 'p', 10_000);
    await notes.load(3);
    notes.openLabel(9, 'L9');
    expect(notes.editing).toEqual({ labelId: 9, code: 'L9' });
    notes.labelField(9)!.edit('from the discharge summary');
    expect([...notes.noted]).toEqual([9]);
    notes.closeLabel();
    await settle();
    expect(stored.get('3:9')).toBe('from the discharge summary');
    notes.labelField(9)!.edit('');
    await notes.flush();
    expect(stored.has('3:9')).toBe(false);
    expect([...notes.noted]).toEqual([]);
  });

  it('a slow load for a document left behind does not replace the newer one', async () => {
    let release: () => void = () => {};
    const api = new FakeApi().handle('notes.get', ({ docId }) =>
      docId === 1 ? new Promise((r) => (release = () => r({ docId, notes: [note(null, 'old')] }))) : { docId, notes: [note(null, 'new')] },
    );
    const notes = new DocumentNotes(api, () => 'p');
    const first = notes.load(1);
    await notes.load(2);
    release();
    await first;
    expect([notes.docId, notes.document?.text]).toEqual([2, 'new']);
  });
});

describe('NoteSearch', () => {
  it('searches, keeps the newest answer, and clears on an empty query', async () => {
    const api = new FakeApi().handle('notes.search', ({ query }) => ({ total: 1, items: [{ docId: 4, extId: `hit-${query}`, labelId: null, code: null, excerpt: query }] }));
    const search = new NoteSearch(api, () => 'p');
    await search.run(' biopsy ');
    expect([search.searched, search.total, search.hits[0]?.extId]).toEqual(['biopsy', 1, 'hit-biopsy']);
    expect(api.callsOf('notes.search')).toEqual([{ projectId: 'p', query: 'biopsy', limit: 50 }]);
    await search.run('  ');
    expect([search.searched, search.hits]).toEqual([null, []]);
  });
});

describe('GuidelinesState', () => {
  it('loads, edits a draft, saves it, and shows the stored text', async () => {
    let text = '# Old';
    const api = new FakeApi()
      .handle('guidelines.get', () => ({ text, updatedAt: 'then', author: null }))
      .handle('guidelines.set', (i) => ((text = i.text), { text, updatedAt: 'now', author: null }));
    const g = new GuidelinesState(api, () => 'p');
    await g.load();
    expect([g.text, g.editing]).toEqual(['# Old', false]);
    g.edit();
    g.draft = '# New';
    expect(await g.save()).toBe(true);
    expect([g.text, g.updatedAt, g.editing]).toEqual(['# New', 'now', false]);
  });

  it('a failed save keeps the draft and says why; another project drops it', async () => {
    let project = 'p';
    const api = new FakeApi().handle('guidelines.get', () => ({ text: '', updatedAt: null, author: null })).fail('guidelines.set', 'invalid-input', 'too long');
    const g = new GuidelinesState(api, () => project);
    await g.load();
    g.edit();
    g.draft = 'half a rule';
    expect(await g.save()).toBe(false);
    expect([g.draft, g.error]).toEqual(['half a rule', 'too long']);
    await g.load();
    expect(g.draft).toBe('half a rule'); // same project: the draft survives closing and reopening
    project = 'q';
    await g.load();
    expect(g.draft).toBeNull();
  });
});
