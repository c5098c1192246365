import { describe, expect, it } from 'vitest';
import type { AnnotationEvent, BulkResult, DocumentDetail, DocumentLabel, QueueOutput, Suggestion } from '../../../shared/contract';
import { FakeApi } from '../testing/fake-api';
import { AnnotateState } from './annotate.svelte';

const sugg = (labelId: number, score: number): Suggestion => ({ labelId, code: `L${labelId}`, title: '', score, assigned: score > 0.5, trainCount: 1 });
const queue = (ids: number[]): QueueOutput => ({
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
});

/** The open document's labels on the fake main side: what a bulk write and its undo change. */
function setup(): { api: FakeApi; state: AnnotateState; labels: { current: DocumentLabel[] } } {
  const labels = { current: [] as DocumentLabel[] };
  const doc = (id: number): DocumentDetail => ({ id, extId: `d${id}`, split: 'pool', status: 'pending', text: 't', metadata: {}, labels: labels.current });
  const batchEvent: AnnotationEvent = { id: 9, docId: 1, extId: 'd1', labelId: 12, code: 'L12', action: 'accept', createdAt: 'now', undone: false, batchId: 1, batchSize: 2 };
  const api = new FakeApi()
    .handle('annotations.history', () => ({ events: [], history: { undo: null, redo: null } }))
    .handle('queue.next', () => queue([1, 2]))
    .handle('documents.get', ({ docId }) => doc(docId))
    .handle('suggestions.get', () => ({ modelId: 7, labels: [sugg(11, 0.9), sugg(12, 0.8), sugg(13, 0.2)] }))
    .handle('evidence.get', () => ({ modelId: 7, labels: [] }))
    .handle('annotations.applyMany', ({ items }): BulkResult => {
      labels.current = items.map((i) => ({ labelId: i.labelId, code: `L${i.labelId}`, title: '', source: 'suggestion', present: true, provenance: { how: 'accepted', who: 'Ana', score: i.score ?? null, at: '2026-03-01T10:15:00.000Z' } }));
      return { batchId: 1, changed: items.length, documents: 1, history: { undo: batchEvent, redo: null }, statusCounts: {} };
    })
    .handle('annotations.undo', () => {
      labels.current = [];
      return { event: { ...batchEvent, undone: true }, document: null, history: { undo: null, redo: { ...batchEvent, undone: true } }, statusCounts: {} };
    })
    .handle('annotations.apply', ({ docId, labelId, action }) => ({
      event: { id: 1, docId, extId: `d${docId}`, labelId, code: `L${labelId}`, action, createdAt: 'now', undone: false },
      document: { docId, status: 'pending', labels: [] },
      history: { undo: null, redo: null },
      statusCounts: {},
    }));
  return { api, state: new AnnotateState(api, () => 'p'), labels };
}

describe('AnnotateState bulk actions', () => {
  it('Shift+A accepts the suggestions above threshold in one call; undo of the batch reloads the document', async () => {
    const { api, state } = setup();
    await state.start();
    await state.acceptAllAbove();
    expect(api.callsOf('annotations.applyMany')).toEqual([
      {
        projectId: 'p',
        items: [
          { docId: 1, labelId: 11, action: 'accept', score: 0.9 },
          { docId: 1, labelId: 12, action: 'accept', score: 0.8 },
        ],
      },
    ]);
    await expect.poll(() => state.doc?.labels.map((l) => l.code)).toEqual(['L11', 'L12']);
    expect(state.writer.history.undo?.batchSize).toBe(2);
    await state.undo();
    expect(state.doc?.labels).toEqual([]);
    expect(state.notice?.text).toBe('Undid: accept 2 labels at once');
  });

  it('accepting one suggestion sends its score; a label added through the picker sends none', async () => {
    const { api, state } = setup();
    await state.start();
    await state.accept();
    await state.add(99);
    expect(api.callsOf('annotations.apply')).toEqual([
      { projectId: 'p', docId: 1, labelId: 11, action: 'accept', score: 0.9 },
      { projectId: 'p', docId: 1, labelId: 99, action: 'add' },
    ]);
  });

  it('Shift+B asks with the queue scope’s count before anything is written', async () => {
    const { api, state } = setup();
    await state.start();
    state.markQueue('skipped');
    expect(state.bulk.confirmation).toEqual({ status: 'skipped', split: 'pool', statuses: ['pending'], count: 2 });
    expect(api.callsOf('annotations.setStatusMany')).toEqual([]);
  });
});
