import { describe, expect, it } from 'vitest';
import type { DocumentDetail, Output } from '../../../../shared/contract';
import { FakeApi, settle } from '../../testing/fake-api';
import { DocumentCache } from './document-cache.svelte';

const detail = (id: number): DocumentDetail => ({ id, extId: `d${id}`, split: 'pool', status: 'pending', text: `text ${id}`, metadata: {}, labels: [] });
const suggestions = (modelId: number | null, labelId = 1): Output<'suggestions.get'> => ({
  modelId,
  labels: modelId === null ? [] : [{ labelId, code: `L${labelId}`, title: `label ${labelId}`, score: 0.9, assigned: true, trainCount: 1 }],
});

/** An Api whose suggestion replies wait until released, in the order they were asked. */
function heldSuggestions(): { api: FakeApi; release: (reply: Output<'suggestions.get'>) => void } {
  const waiting: ((reply: Output<'suggestions.get'>) => void)[] = [];
  const api = new FakeApi().handle('documents.get', ({ docId }) => detail(docId)).handle('suggestions.get', () => new Promise((r) => waiting.push(r)));
  return { api, release: (reply) => waiting.shift()?.(reply) };
}

describe('DocumentCache', () => {
  it('loads a document once with its suggestions and keeps it', async () => {
    const api = new FakeApi().handle('documents.get', ({ docId }) => detail(docId)).handle('suggestions.get', () => suggestions(7));
    const cache = new DocumentCache(api, () => 'p');
    const [a, b] = await Promise.all([cache.load(3), cache.load(3)]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ detail: { id: 3 }, modelId: 7 });
    expect(cache.peek(3)).toBe(a);
    expect(cache.modelState).toBe('ready');
    expect(api.callsOf('documents.get')).toHaveLength(1);
  });

  it("a prefetch answered after a model change is not cached, and says nothing about the new model's state", async () => {
    const { api, release } = heldSuggestions();
    const cache = new DocumentCache(api, () => 'p');
    cache.prefetch([4]);
    await settle();
    cache.modelChanged();
    expect(cache.modelState).toBe('unknown');
    release(suggestions(7));
    await settle();
    expect(cache.peek(4)).toBeUndefined();
    expect(cache.modelState).toBe('unknown');
  });

  it('a load that straddles a model change is asked again under the new model', async () => {
    const { api, release } = heldSuggestions();
    const cache = new DocumentCache(api, () => 'p');
    const loading = cache.load(4);
    await settle();
    cache.modelChanged();
    release(suggestions(7));
    await settle();
    release(suggestions(8, 2));
    await expect(loading).resolves.toMatchObject({ modelId: 8, suggestions: [{ labelId: 2 }] });
    expect(cache.peek(4)?.modelId).toBe(8);
    expect(api.callsOf('suggestions.get')).toHaveLength(2);
  });

  it("a stale load's end leaves the newer load of the same document in flight", async () => {
    const { api, release } = heldSuggestions();
    const cache = new DocumentCache(api, () => 'p');
    void cache.load(4);
    await settle();
    cache.modelChanged();
    const fresh = cache.load(4); // under the new model: a second request pair
    await settle();
    release(suggestions(7)); // the old pair ends
    await settle();
    void cache.load(4); // joins the new pair instead of asking a third time
    await settle();
    expect(api.callsOf('documents.get')).toHaveLength(2);
    release(suggestions(8));
    await expect(fresh).resolves.toMatchObject({ modelId: 8 });
  });

  it('suggest answers null when a newer model came while it asked', async () => {
    const { api, release } = heldSuggestions();
    const cache = new DocumentCache(api, () => 'p');
    const asked = cache.suggest(1);
    await settle();
    cache.modelChanged();
    release(suggestions(7));
    await expect(asked).resolves.toBeNull();
    expect(cache.modelState).toBe('unknown');
  });

  it('without a suggestion service it stops asking; without a model it says so', async () => {
    const api = new FakeApi().handle('documents.get', ({ docId }) => detail(docId)).fail('suggestions.get', 'not-found');
    const cache = new DocumentCache(api, () => 'p');
    await expect(cache.load(1)).resolves.toMatchObject({ suggestions: [], modelId: null });
    expect(cache.modelState).toBe('none');
    api.fail('suggestions.get', 'unknown-method');
    await cache.suggest(1);
    expect(cache.modelState).toBe('unavailable');
    cache.modelChanged();
    expect(cache.modelState).toBe('unavailable');
    await cache.load(2);
    expect(api.callsOf('suggestions.get')).toHaveLength(2);
  });

  it('a write patches the cached document; forget drops it', async () => {
    const api = new FakeApi().handle('documents.get', ({ docId }) => detail(docId)).handle('suggestions.get', () => suggestions(7));
    const cache = new DocumentCache(api, () => 'p');
    await cache.load(1);
    cache.patch(1, 'done', [{ labelId: 1, code: 'L1', title: 'label 1', source: 'suggestion', present: true, provenance: { how: 'accepted', who: 'Ana', score: 0.9, at: '2026-03-01T10:15:00.000Z' } }]);
    expect(cache.peek(1)?.detail).toMatchObject({ status: 'done', labels: [{ labelId: 1 }] });
    cache.forget(1);
    expect(cache.peek(1)).toBeUndefined();
  });
});
