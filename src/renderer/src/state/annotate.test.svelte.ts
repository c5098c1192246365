import { beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationResult, DocumentDetail, DocumentLabel, HistoryState, QueueOutput, Suggestion } from '../../../shared/contract';
import { FakeApi, settle } from '../testing/fake-api';
import { AnnotateState } from './annotate.svelte';

const NO_HISTORY: HistoryState = { undo: null, redo: null };

function doc(id: number, labels: DocumentLabel[] = []): DocumentDetail {
  return { id, extId: `d${id}`, split: 'pool', status: 'pending', text: `text of document ${id}`, metadata: {}, labels };
}
const sugg = (labelId: number, score: number): Suggestion => ({ labelId, code: `L${labelId}`, title: `label ${labelId}`, score, assigned: score > 0.5, trainCount: labelId });

function queue(ids: number[]): QueueOutput {
  return {
    strategy: 'rare-first',
    items: ids.map((id) => ({ docId: id, extId: `d${id}`, split: 'pool', status: 'pending', snippet: '', labelCount: 0, score: 1, reason: null })),
    total: ids.length,
    progress: { split: 'pool', total: ids.length, pending: ids.length, done: 0, skipped: 0, review: 0 },
    scope: ids.length,
    modelId: null,
    needsModel: false,
    note: null,
    scoring: null,
    indexing: null,
  };
}

/** What the main side reports after a write: documents per status in each split. */
function countsOf(docs: Map<number, DocumentDetail>): AnnotationResult['statusCounts'] {
  const out: AnnotationResult['statusCounts'] = {};
  for (const d of docs.values()) (out[d.split] ??= { pending: 0, done: 0, skipped: 0, review: 0 })[d.status]++;
  return out;
}

/** The main side in miniature: documents with labels, and annotation writes that update them. */
function world(api: FakeApi, ids = [1, 2, 3]): Map<number, DocumentDetail> {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- the fake main side's table, not UI state
  const docs = new Map(ids.map((id) => [id, doc(id)]));
  const result = (docId: number, history: HistoryState = NO_HISTORY, event: AnnotationResult['event'] = null): AnnotationResult => {
    const d = docs.get(docId)!;
    return { event, document: { docId, status: d.status, labels: d.labels }, history, statusCounts: countsOf(docs) };
  };
  api
    .handle('annotations.history', () => ({ events: [], history: NO_HISTORY }))
    .handle('queue.next', () => queue(ids))
    .handle('documents.get', ({ docId }) => docs.get(docId)!)
    .handle('suggestions.get', ({ docId }) => ({ modelId: 7, labels: [sugg(10 + docId, 0.9), sugg(20 + docId, 0.6), sugg(30 + docId, 0.2)] }))
    .handle('evidence.get', ({ labelIds }) => ({ modelId: 7, labels: labelIds.map((labelId) => ({ labelId, score: 0.9, spans: [{ start: 0, end: 4, weight: 1 }], terms: [], similar: [] })) }))
    .handle('annotations.apply', ({ docId, labelId, action, score }) => {
      const d = docs.get(docId)!;
      const others = d.labels.filter((l) => l.labelId !== labelId);
      const how = action === 'accept' ? 'accepted' : action === 'add' ? 'added' : 'rejected';
      const provenance = { how, who: 'Ana', score: action === 'accept' ? (score ?? null) : null, at: '2026-03-01T10:15:00.000Z' } as const;
      const next: DocumentLabel[] =
        action === 'remove' ? others : [...others, { labelId, code: `L${labelId}`, title: `label ${labelId}`, source: action === 'accept' ? 'suggestion' : 'annotator', present: action !== 'reject', provenance }];
      docs.set(docId, { ...d, labels: next });
      const event = { id: 1, docId, extId: d.extId, labelId, code: `L${labelId}`, action, createdAt: 'now', undone: false };
      return result(docId, { undo: event, redo: null }, event);
    })
    .handle('annotations.setStatus', ({ docId, status }) => {
      docs.set(docId, { ...docs.get(docId)!, status });
      return result(docId);
    });
  return docs;
}

describe('AnnotateState', () => {
  let api: FakeApi;
  let state: AnnotateState;
  beforeEach(() => {
    api = new FakeApi();
    state = new AnnotateState(api, () => 'p');
  });

  it('start loads the queue and opens its first document with the suggestions', async () => {
    world(api);
    await state.start();
    expect(state.doc?.id).toBe(1);
    expect(state.suggestionsFor).toBe(1);
    expect(state.documents.modelState).toBe('ready');
    expect(state.rows.map((r) => [r.code, r.state, r.section])).toEqual([
      ['L11', 'none', 'suggestion'],
      ['L21', 'none', 'suggestion'],
      ['L31', 'none', 'suggestion'],
    ]);
    expect(api.callsOf('queue.next')[0]).toMatchObject({ projectId: 'p', strategy: 'rare-first', split: 'pool', statuses: ['pending'] });
    await state.start(); // once only
    expect(api.callsOf('queue.next')).toHaveLength(1);
  });

  it('accept and reject update the labels from the reply and, by default, keep the selection on the label decided', async () => {
    world(api);
    await state.start();
    expect(state.advanceAfterDecision).toBe(false);
    await state.accept();
    expect(state.doc?.labels.map((l) => [l.code, l.present, l.source])).toEqual([['L11', true, 'suggestion']]);
    expect(state.rows[0]!.state).toBe('present');
    expect(state.cursor).toBe(0);
    expect(state.selected?.code).toBe('L11');
    expect(state.notice?.text).toBe('Accepted L11; the selection stays on it');
    // A second key acts on the same label the coder is looking at: reject replaces the accept.
    await state.reject();
    expect(state.rows[0]!.state).toBe('rejected');
    expect(state.selected?.code).toBe('L11');
    expect(state.writer.history.undo).toMatchObject({ action: 'reject', code: 'L11' });
    expect(state.moved).toBeNull();
  });

  it('a decided row carries the provenance the reply gave, with the score the accept sent', async () => {
    world(api);
    await state.start();
    expect(state.rows[0]!.provenance).toBeNull(); // undecided: nothing to say yet
    await state.accept();
    expect(api.callsOf('annotations.apply')[0]).toMatchObject({ action: 'accept', score: 0.9 });
    expect(state.rows[0]!.provenance).toEqual({ how: 'accepted', who: 'Ana', score: 0.9, at: '2026-03-01T10:15:00.000Z' });
    await state.reject();
    expect(state.rows[0]!.provenance).toMatchObject({ how: 'rejected', score: null });
  });

  it('with "move on" set, the selection moves to the next undecided suggestion and says so', async () => {
    world(api);
    await state.start();
    state.setAdvanceAfterDecision(true);
    await state.accept();
    expect(state.cursor).toBe(1);
    expect(state.notice?.text).toBe('Accepted L11 — moved to L21, the next undecided suggestion');
    expect(state.moved).toMatchObject({ from: 11, to: 21 });
    await state.reject();
    expect(state.rows[1]!.state).toBe('rejected');
    expect(state.cursor).toBe(2);
    expect(state.moved).toMatchObject({ from: 21, to: 31, seq: 2 });
    expect(state.queue.page?.items[0]!.labelCount).toBe(1);
    // The last undecided one: nowhere to move, the selection stays and the notice says so.
    await state.accept();
    expect(state.cursor).toBe(2);
    expect(state.notice?.text).toBe('Accepted L31; the selection stays on it');
    state.setAdvanceAfterDecision(false);
  });

  it('number keys accept the n-th suggestion and select it, without moving on', async () => {
    world(api);
    await state.start();
    state.setAdvanceAfterDecision(true);
    await state.acceptNth(3);
    expect(state.rows.find((r) => r.code === 'L31')!.state).toBe('present');
    expect(state.selected?.code).toBe('L31');
    await state.acceptNth(1);
    expect(state.rows[0]!.state).toBe('present');
    expect(state.selected?.code).toBe('L11');
    expect(state.rows[1]!.state).toBe('none');
    await state.acceptNth(7);
    expect(state.notice?.text).toBe('There is no suggestion 7.');
    expect(api.callsOf('annotations.apply')).toHaveLength(2);
    state.setAdvanceAfterDecision(false);
  });

  it('a label added through the picker is listed under the document and selected', async () => {
    world(api);
    await state.start();
    await state.add(99);
    const row = state.rows.find((r) => r.labelId === 99)!;
    expect(row).toMatchObject({ section: 'document', state: 'present', source: 'annotator', score: null });
    expect(state.selected?.labelId).toBe(99);
  });

  it('done marks the document, counts it in the progress, and moves to the next (prefetched) document', async () => {
    world(api);
    await state.start();
    await settle();
    const gets = api.callsOf('documents.get').length;
    expect(gets).toBe(3); // the first document, and the next two prefetched
    await state.setStatus('done');
    expect(state.doc?.id).toBe(2);
    // Opened from the prefetch cache: document 2 was fetched once.
    expect(api.callsOf('documents.get').map((c) => (c as { docId: number }).docId)).toEqual([1, 2, 3]);
    expect(state.queue.page?.items[0]!.status).toBe('done');
    expect(state.queue.page?.progress).toMatchObject({ pending: 2, done: 1 });
    await state.prevDoc();
    expect(state.doc).toMatchObject({ id: 1, status: 'done' });
  });

  it('the counters follow the main side after undo and done, also for documents off the page (issue #14 bug 1)', async () => {
    const docs = world(api, [1, 2, 3, 4]);
    await state.start();
    // Document 4's status changes where this page never sees it (another window, an undo of an
    // older action): the next reply carries the stored counts, and the bar shows them.
    docs.set(4, { ...docs.get(4)!, status: 'done' });
    await state.setStatus('done', false);
    expect(state.queue.page?.progress).toEqual({ split: 'pool', total: 4, pending: 2, done: 2, skipped: 0, review: 0 });
    api.handle('annotations.undo', () => {
      docs.set(1, { ...docs.get(1)!, status: 'pending' });
      const event = { id: 9, docId: 1, extId: 'd1', labelId: null, code: null, action: 'status' as const, statusBefore: 'pending' as const, statusAfter: 'done' as const, createdAt: 'now', undone: true };
      return { event, document: { docId: 1, status: 'pending' as const, labels: [] }, history: NO_HISTORY, statusCounts: countsOf(docs) };
    });
    await state.undo();
    expect(state.queue.page?.progress).toEqual({ split: 'pool', total: 4, pending: 3, done: 1, skipped: 0, review: 0 });
    // Every split at once when the queue shows them all.
    state.queue.page = { ...state.queue.page!, progress: { ...state.queue.page!.progress, split: null } };
    docs.set(2, { ...docs.get(2)!, split: 'dev' });
    await state.setStatus('skipped', false);
    expect(state.queue.page?.progress).toEqual({ split: null, total: 4, pending: 2, done: 1, skipped: 1, review: 0 });
  });

  it('undo goes to the document the undone action was on and says what it undid', async () => {
    world(api);
    await state.start();
    await state.nextDoc();
    expect(state.doc?.id).toBe(2);
    api.handle('annotations.undo', () => ({
      event: { id: 5, docId: 1, extId: 'd1', labelId: 11, code: 'L11', action: 'accept', createdAt: 'now', undone: true },
      document: { docId: 1, status: 'pending', labels: [] },
      history: { undo: null, redo: { id: 5, docId: 1, extId: 'd1', labelId: 11, code: 'L11', action: 'accept', createdAt: 'now', undone: true } },
      statusCounts: { pool: { pending: 3, done: 0, skipped: 0, review: 0 } },
    }));
    await state.undo();
    expect(state.doc?.id).toBe(1);
    expect(state.selected?.labelId).toBe(11);
    expect(state.notice).toEqual({ kind: 'info', text: 'Undid: accept L11 on d1' });
    expect(state.writer.history.redo?.code).toBe('L11');
    api.handle('annotations.redo', () => ({ event: null, document: null, history: NO_HISTORY, statusCounts: {} }));
    await state.redo();
    expect(state.notice?.text).toBe('Nothing to redo.');
  });

  it('without a model there are no suggestions and it says so; without the service it stops asking', async () => {
    world(api);
    api.handle('suggestions.get', () => ({ modelId: null, labels: [] }));
    await state.start();
    expect(state.documents.modelState).toBe('none');
    expect(state.rows).toEqual([]);
    api.fail('suggestions.get', 'unknown-method');
    await state.modelChanged();
    expect(state.documents.modelState).toBe('unavailable');
    const asked = api.callsOf('suggestions.get').length;
    await state.open(3);
    expect(api.callsOf('suggestions.get').length).toBe(asked);
    expect(state.doc?.id).toBe(3);
  });

  it('a slow document never replaces one opened after it', async () => {
    const docs = world(api);
    let release: () => void = () => {};
    api.handle('documents.get', ({ docId }) => (docId === 1 ? new Promise((r) => (release = () => r(docs.get(1)!))) : docs.get(docId)!));
    const slow = state.open(1);
    await state.open(2);
    release();
    await slow;
    expect(state.doc?.id).toBe(2);
  });

  it('evidence follows the cursor, debounced: holding j asks once, for the row it stops on', async () => {
    world(api);
    await state.start();
    await settle(80);
    expect(state.evidence.current).toMatchObject({ docId: 1, labelId: 11 });
    const before = api.callsOf('evidence.get').length;
    state.move(1);
    state.move(1);
    await settle(80);
    expect(api.callsOf('evidence.get').length).toBe(before + 1);
    expect(state.evidence.current?.labelId).toBe(31);
    state.toggleEvidence();
    expect(state.evidence.enabled).toBe(false);
  });

  it("evidence carries the keyword ranker's terms with the attended spans, from the cache too", async () => {
    world(api);
    api.handle('evidence.get', ({ labelIds }) => ({
      modelId: 7,
      labels: labelIds.map((labelId) => ({ labelId, score: 0.9, spans: [{ start: 0, end: 4, weight: 1 }], terms: [{ text: `term ${labelId}`, weight: 0.5, spans: [{ start: 0, end: 4 }] }], similar: [] })),
    }));
    await state.start();
    await settle(80);
    expect(state.evidence.current).toMatchObject({ docId: 1, labelId: 11, terms: ['term 11'] });
    state.move(1);
    await settle(80);
    state.move(-1);
    await settle(80);
    expect(state.evidence.current).toMatchObject({ labelId: 11, terms: ['term 11'], spans: [{ start: 0, end: 4, weight: 1 }] });
  });

  it('without a model the evidence toggle is unavailable and says why instead of switching', async () => {
    world(api);
    api.handle('suggestions.get', () => ({ modelId: null, labels: [] }));
    await state.start();
    expect(state.evidenceAvailable).toBe(false);
    state.toggleEvidence();
    expect(state.evidence.enabled).toBe(true);
    expect(state.notice?.text).toMatch(/once a model is trained/);
    expect(api.callsOf('evidence.get')).toHaveLength(0);
  });

  it('search, by-label and similar orders need their input before asking the queue', async () => {
    world(api);
    await state.setSettings({ strategy: 'search', query: '' });
    expect(state.queue.page).toBeNull();
    expect(state.queue.error).toMatch(/Type words/);
    await state.open(2);
    await state.findSimilar();
    expect(api.callsOf('queue.next').at(-1)).toMatchObject({ strategy: 'similar', docId: 2 });
    await state.findMoreOf({ id: 11, code: 'L11' });
    expect(api.callsOf('queue.next').at(-1)).toMatchObject({ strategy: 'by-label', labelId: 11 });
  });

  it('a new model refreshes the suggestions of the open document', async () => {
    world(api);
    await state.start();
    api.handle('suggestions.get', () => ({ modelId: 8, labels: [sugg(77, 0.8)] }));
    await state.modelChanged();
    expect(state.modelId).toBe(8);
    expect(state.rows.map((r) => r.code)).toEqual(['L77']);
  });

  // ---- stale replies: each reply lands only under the request it answers (issue #16) ---------

  it("a prefetch that answers after a new model does not put the old model's suggestions back in the cache", async () => {
    world(api);
    let releaseOld: () => void = () => {};
    // Document 2 is prefetched while model 7 serves; its suggestions reply is held back.
    api.handle('suggestions.get', ({ docId }) => {
      const old = { modelId: 7, labels: [sugg(10 + docId, 0.9)] };
      return docId === 2 ? new Promise((r) => (releaseOld = () => r(old))) : old;
    });
    await state.start();
    expect(api.callsOf('suggestions.get').map((c) => (c as { docId: number }).docId)).toContain(2);
    api.handle('suggestions.get', ({ docId }) => ({ modelId: 8, labels: [sugg(80 + docId, 0.9)] }));
    await state.modelChanged();
    await settle(); // the new model's prefetch of document 2 lands first…
    releaseOld(); // …then the old model's late reply
    await settle();
    await state.nextDoc();
    expect(state.doc?.id).toBe(2);
    expect(state.modelId).toBe(8);
    expect(state.rows.map((r) => r.code)).toEqual(['L82']);
  });

  it("evidence asked for under the old model is not shown once a new model's evidence is", async () => {
    world(api);
    let releaseOld: () => void = () => {};
    api.handle('evidence.get', ({ labelIds }) => {
      const old = { modelId: 7, labels: labelIds.map((labelId) => ({ labelId, score: 0.9, spans: [{ start: 0, end: 4, weight: 1 }], terms: [], similar: [] })) };
      return new Promise((r) => (releaseOld = () => r(old)));
    });
    await state.start();
    await settle(80); // the debounced request for L11 under model 7 is out, and held
    expect(api.callsOf('evidence.get')).toHaveLength(1);
    // Model 8 still puts L11 first, so the same row stays selected.
    api.handle('suggestions.get', () => ({ modelId: 8, labels: [sugg(11, 0.95)] }));
    api.handle('evidence.get', ({ labelIds }) => ({ modelId: 8, labels: labelIds.map((labelId) => ({ labelId, score: 0.95, spans: [{ start: 5, end: 13, weight: 1 }], terms: [], similar: [] })) }));
    await state.modelChanged();
    await settle(80);
    expect(state.evidence.current).toMatchObject({ docId: 1, labelId: 11, spans: [{ start: 5, end: 13, weight: 1 }] });
    releaseOld();
    await settle();
    expect(state.evidence.current).toMatchObject({ docId: 1, labelId: 11, spans: [{ start: 5, end: 13, weight: 1 }] });
  });

  it('a new model while a document opens: it opens with the new suggestions', async () => {
    world(api, [1, 2, 3, 4]);
    await state.start();
    await settle(); // documents 2 and 3 prefetched; 4 is not
    let releaseOld: () => void = () => {};
    api.handle('suggestions.get', ({ docId }) => {
      const old = { modelId: 7, labels: [sugg(10 + docId, 0.9)] };
      return docId === 4 ? new Promise((r) => (releaseOld = () => r(old))) : old;
    });
    const opening = state.open(4);
    await settle();
    api.handle('suggestions.get', ({ docId }) => ({ modelId: 8, labels: [sugg(80 + docId, 0.9)] }));
    await state.modelChanged();
    releaseOld();
    await opening;
    expect(state.doc?.id).toBe(4);
    expect(state.modelId).toBe(8);
    expect(state.rows.map((r) => r.code)).toEqual(['L84']);
  });

  it("two new models in a row: the first one's late refresh does not replace the second's", async () => {
    world(api);
    await state.start();
    let releaseFirst: () => void = () => {};
    // Model 8's refresh of the open document is held back (prefetches still in flight answer at once).
    api.handle('suggestions.get', ({ docId }) => {
      const first = { modelId: 8, labels: [sugg(88, 0.9)] };
      return docId === 1 ? new Promise((r) => (releaseFirst = () => r(first))) : first;
    });
    const first = state.modelChanged();
    await settle();
    api.handle('suggestions.get', () => ({ modelId: 9, labels: [sugg(99, 0.9)] }));
    await state.modelChanged();
    expect(state.modelId).toBe(9);
    releaseFirst();
    await first;
    expect(state.modelId).toBe(9);
    expect(state.rows.map((r) => r.code)).toEqual(['L99']);
  });

  it('a queue page overtaken by a newer filter waits for it and opens its first document, not one from the page on screen', async () => {
    world(api);
    await state.start();
    await state.open(3);
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- the test's held replies, not UI state
    const held = new Map<string, () => void>();
    api.handle('queue.next', ({ statuses }) => {
      const status = statuses?.join() ?? 'all';
      return new Promise((r) => held.set(status, () => r(queue(status === 'done' ? [1] : [2, 3]))));
    });
    const done = state.setSettings({ status: 'done' }, true);
    const review = state.setSettings({ status: 'review' }, true);
    await settle();
    held.get('done')!();
    await settle();
    // The "done" page was dropped (a newer filter was asked for): the coder stays where they were
    // until the newer page is in, then both land on its first document.
    expect(state.doc?.id).toBe(3);
    expect(state.queue.page?.items.map((i) => i.docId)).toEqual([1, 2, 3]);
    held.get('review')!();
    await Promise.all([done, review]);
    expect(state.queue.page?.items.map((i) => i.docId)).toEqual([2, 3]);
    expect(state.doc?.id).toBe(2);
  });

  it('a re-rank while the next page loads asks for that page, and n lands on its first document', async () => {
    world(api, [1, 2, 3, 51, 52]);
    const releases: (() => void)[] = [];
    api.handle('queue.next', ({ offset }) => {
      if (offset === 0) return { ...queue([1, 2, 3]), total: 120 };
      return new Promise((r) => releases.push(() => r({ ...queue([51, 52]), total: 120 })));
    });
    await state.start();
    await state.open(3);
    const step = state.nextDoc(); // past the end of the page: page 2 is asked for
    await settle();
    const rerank = state.loadQueue(); // the model's scores came in meanwhile
    await settle();
    expect(api.callsOf('queue.next').map((c) => (c as { offset: number }).offset)).toEqual([0, 50, 50]);
    for (const release of releases) release();
    await Promise.all([step, rerank]);
    expect(state.queue.offset).toBe(50);
    expect(state.doc?.id).toBe(51);
  });

  it('a filter that needs input first ends the loading of the page it replaced', async () => {
    world(api);
    let release: () => void = () => {};
    api.handle('queue.next', () => new Promise((r) => (release = () => r(queue([1, 2, 3])))));
    const first = state.loadQueue(0);
    await settle();
    expect(state.queue.loading).toBe(true);
    await state.setSettings({ strategy: 'search', query: '' });
    release();
    await first;
    expect(state.queue.loading).toBe(false);
    expect(state.queue.page).toBeNull();
    expect(state.queue.error).toMatch(/Type words/);
  });
});
