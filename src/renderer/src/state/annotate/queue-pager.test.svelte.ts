import { describe, expect, it } from 'vitest';
import type { QueueOutput } from '../../../../shared/contract';
import { FakeApi, settle } from '../../testing/fake-api';
import { progressOf, QueuePager } from './queue-pager.svelte';

function page(ids: number[], total = ids.length): QueueOutput {
  return {
    strategy: 'rare-first',
    items: ids.map((id) => ({ docId: id, extId: `d${id}`, split: 'pool', status: 'pending', snippet: '', labelCount: 0, score: 1, reason: null })),
    total,
    progress: { split: 'pool', total, pending: total, done: 0, skipped: 0, review: 0 },
    scope: total,
    modelId: null,
    needsModel: false,
    note: null,
    scoring: null,
    indexing: null,
  };
}

describe('QueuePager', () => {
  it('an overtaken request resolves with the page of the request that overtook it', async () => {
    const api = new FakeApi();
    const releases: (() => void)[] = [];
    api.handle('queue.next', ({ seed }) => new Promise((r) => releases.push(() => r(page(seed === 1 ? [1, 2] : [7, 8])))));
    const pager = new QueuePager(api, () => 'p');
    const older = pager.load(0);
    const newer = pager.configure({ seed: 2 });
    await settle();
    releases[0]?.(); // the older reply lands first and is dropped…
    await settle();
    expect(pager.page).toBeNull();
    expect(pager.loading).toBe(true);
    releases[1]?.();
    const [a, b] = await Promise.all([older, newer]);
    expect(a?.items.map((i) => i.docId)).toEqual([7, 8]); // …and its caller gets the newer page
    expect(b).toBe(a);
    expect(pager.page).toBe(a);
    expect(pager.loading).toBe(false);
  });

  it('a failed page keeps the page on screen, says why, and resolves null', async () => {
    const api = new FakeApi().handle('queue.next', () => page([1, 2], 120));
    const pager = new QueuePager(api, () => 'p');
    const shown = await pager.load(0);
    api.fail('queue.next', 'internal', 'the queue is busy');
    await expect(pager.load(50)).resolves.toBeNull();
    expect(pager.page).toBe(shown);
    expect(pager.offset).toBe(0);
    expect(pager.error).toBe('the queue is busy');
    expect(pager.loading).toBe(false);
    // A refresh (a re-rank, a reconnect) re-asks the page on screen, not the one that failed.
    api.handle('queue.next', () => page([1, 2], 120));
    await pager.load();
    expect(api.callsOf('queue.next').at(-1)).toMatchObject({ offset: 0 });
    expect(pager.error).toBeNull();
  });

  it('pages forward and back by the page size, and stops at both ends', async () => {
    const api = new FakeApi().handle('queue.next', ({ offset }) => page(offset === 100 ? [101] : [1, 2], 101));
    const pager = new QueuePager(api, () => 'p');
    expect(pager.nextOffset).toBeNull();
    await pager.load(0);
    expect([pager.prevOffset, pager.nextOffset]).toEqual([null, 50]);
    await pager.load(100);
    expect([pager.prevOffset, pager.nextOffset]).toEqual([50, null]);
    // A refresh asks for the page asked for last.
    await pager.load();
    expect(api.callsOf('queue.next').at(-1)).toMatchObject({ offset: 100, limit: 50 });
  });

  it('a write updates its row and takes the counters from the main side', async () => {
    const api = new FakeApi().handle('queue.next', () => page([1, 2]));
    const pager = new QueuePager(api, () => 'p');
    await pager.load(0);
    pager.applyWrite({
      event: null,
      document: { docId: 2, status: 'done', labels: [{ labelId: 5, code: 'L5', title: 'l5', source: 'annotator', present: true, provenance: { how: 'added', who: 'Ana', score: null, at: '2026-03-01T10:15:00.000Z' } }] },
      history: { undo: null, redo: null },
      statusCounts: { pool: { pending: 1, done: 1, skipped: 0, review: 0 }, dev: { pending: 9, done: 0, skipped: 0, review: 0 } },
    });
    expect(pager.page?.items.map((i) => [i.docId, i.status, i.labelCount])).toEqual([
      [1, 'pending', 0],
      [2, 'done', 1],
    ]);
    expect(pager.page?.progress).toEqual({ split: 'pool', total: 2, pending: 1, done: 1, skipped: 0, review: 0 });
  });

  it('progressOf sums one split, or every split for null', () => {
    const counts = { pool: { pending: 2, done: 1, skipped: 0, review: 0 }, dev: { pending: 0, done: 3, skipped: 1, review: 1 } };
    expect(progressOf(counts, 'dev')).toEqual({ split: 'dev', total: 5, pending: 0, done: 3, skipped: 1, review: 1 });
    expect(progressOf(counts, null)).toEqual({ split: null, total: 8, pending: 2, done: 4, skipped: 1, review: 1 });
  });
});
