import { describe, expect, it } from 'vitest';
import type { BulkResult, QueueOutput } from '../../../../shared/contract';
import type { ApiError } from '../../api/api';
import { FakeApi, settle } from '../../testing/fake-api';
import { acceptableSuggestions, BulkActions } from './bulk-actions.svelte';
import type { LabelRowView } from './label-rows';

const row = (labelId: number, patch: Partial<LabelRowView> = {}): LabelRowView => ({
  labelId,
  code: `L${labelId}`,
  title: '',
  score: 0.9,
  assigned: true,
  trainCount: 3,
  state: 'none',
  source: null,
  provenance: null,
  section: 'suggestion',
  ...patch,
});
const result = (changed: number): BulkResult => ({ batchId: changed ? 1 : null, changed, documents: changed ? 1 : 0, history: { undo: null, redo: null }, statusCounts: {} });
const item = (docId: number, score: number) => ({ docId, extId: `d${docId}`, split: 'pool', status: 'pending' as const, snippet: `text ${docId}`, labelCount: 0, score, reason: null });
const page = (ids: number[]): QueueOutput => ({
  strategy: 'similar',
  items: ids.map((id, i) => item(id, 1 - i / 10)),
  total: ids.length,
  scope: 40,
  progress: { split: 'pool', total: 40, pending: 40, done: 0, skipped: 0, review: 0 },
  modelId: null,
  needsModel: false,
  scoring: null,
  indexing: null,
  note: null,
});

function setup(api: FakeApi): { bulk: BulkActions; applied: [BulkResult, string][]; failed: ApiError[] } {
  const applied: [BulkResult, string][] = [];
  const failed: ApiError[] = [];
  const bulk = new BulkActions(api, () => 'p', { applied: (r, what) => applied.push([r, what]), failed: (e) => failed.push(e) });
  return { bulk, applied, failed };
}

describe('BulkActions', () => {
  it('accept-all takes only undecided suggestions above threshold, with their scores, in one call', async () => {
    const rows = [row(1, { score: 0.91 }), row(2, { assigned: false, score: 0.2 }), row(3, { state: 'present' }), row(4, { state: 'rejected' }), row(5, { score: 0.7 }), row(6, { section: 'document', score: null })];
    expect(acceptableSuggestions(rows).map((r) => r.labelId)).toEqual([1, 5]);
    const api = new FakeApi().handle('annotations.applyMany', () => result(2));
    const { bulk, applied } = setup(api);
    await bulk.acceptAbove(9, rows);
    expect(api.callsOf('annotations.applyMany')).toEqual([
      {
        projectId: 'p',
        items: [
          { docId: 9, labelId: 1, action: 'accept', score: 0.91 },
          { docId: 9, labelId: 5, action: 'accept', score: 0.7 },
        ],
      },
    ]);
    expect(applied[0]?.[1]).toBe('accepted 2 suggestions above threshold (L1, L5)');
  });

  it('accept-all with nothing to accept calls nothing', async () => {
    const api = new FakeApi();
    const { bulk } = setup(api);
    await expect(bulk.acceptAbove(9, [row(1, { assigned: false })])).resolves.toBeNull();
    expect(api.calls).toEqual([]);
  });

  it('similar preview: the queue’s similar order without the document itself, all ticked; unticked rows get nothing', async () => {
    const api = new FakeApi().handle('queue.next', () => page([5, 7, 8, 9])).handle('annotations.applyMany', () => result(2));
    const { bulk } = setup(api);
    await bulk.openSimilar({ id: 5, extId: 'd5' }, { id: 42, code: 'E11.9' }, { split: 'pool', status: 'pending' }, 3);
    expect(api.callsOf('queue.next')).toEqual([{ projectId: 'p', strategy: 'similar', docId: 5, split: 'pool', statuses: ['pending'], limit: 4 }]);
    expect(bulk.preview?.rows.map((r) => [r.docId, r.ticked])).toEqual([
      [7, true],
      [8, true],
      [9, true],
    ]);
    bulk.toggle(8);
    await bulk.confirmSimilar();
    expect(api.callsOf('annotations.applyMany')).toEqual([
      {
        projectId: 'p',
        items: [
          { docId: 7, labelId: 42, action: 'add' },
          { docId: 9, labelId: 42, action: 'add' },
        ],
      },
    ]);
    expect(bulk.preview).toBeNull();
  });

  it('mark the queue’s set: nothing is written before the confirmation; then one call with the scope', async () => {
    const api = new FakeApi().handle('annotations.setStatusMany', () => result(40));
    const { bulk, applied } = setup(api);
    bulk.askMark('skipped', { split: null, status: 'all' }, 40);
    await settle();
    expect(api.calls).toEqual([]);
    expect(bulk.confirmation).toEqual({ status: 'skipped', split: null, statuses: ['pending', 'done', 'skipped', 'review'], count: 40 });
    await bulk.confirmMark();
    expect(api.callsOf('annotations.setStatusMany')).toEqual([{ projectId: 'p', status: 'skipped', scope: { split: null, statuses: ['pending', 'done', 'skipped', 'review'] } }]);
    expect(bulk.confirmation).toBeNull();
    expect(applied).toHaveLength(1);
  });

  it('a refused bulk write tells why and keeps the confirmation open', async () => {
    const api = new FakeApi().fail('annotations.setStatusMany', 'invalid-input', 'too many');
    const { bulk, failed } = setup(api);
    bulk.askMark('done', { split: 'pool', status: 'pending' }, 3);
    await expect(bulk.confirmMark()).resolves.toBeNull();
    expect(failed.map((e) => e.message)).toEqual(['too many']);
    expect(bulk.confirmation).not.toBeNull();
  });
});
