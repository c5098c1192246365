import { describe, expect, it, vi } from 'vitest';
import { LabelSearch } from '../lib/label-search';
import { FakeApi, settle } from '../testing/fake-api';
import { AppState } from './app.svelte';
import { CatalogueState } from './catalogue.svelte';

describe('AppState connection', () => {
  it('follows the link to the main side, and reads the projects again when it comes back (issue #14)', async () => {
    const api = new FakeApi().handle('projects.list', () => ({ projects: [] }));
    const app = new AppState(api, new CatalogueState(api, new LabelSearch(null)));
    const off = app.listen();
    expect(app.connection).toBe('connected');
    api.connection('lost');
    expect(app.connection).toBe('lost');
    expect(api.callsOf('projects.list')).toHaveLength(0);
    api.connection('connected');
    await settle();
    expect(app.connection).toBe('connected');
    expect(api.callsOf('projects.list')).toHaveLength(1);
    api.connection('restarted');
    expect(app.connection).toBe('restarted');
    off();
  });
});

describe('AppState and the queue', () => {
  it('asks for the queue page again when its order was re-ranked in the background, for the order on screen only', async () => {
    const page = { strategy: 'rare-first' as const, items: [], total: 0, scope: 0, progress: { split: 'pool', total: 0, pending: 0, done: 0, skipped: 0, review: 0 }, modelId: null, needsModel: false, scoring: null, indexing: null, note: null };
    const api = new FakeApi()
      .handle('projects.list', () => ({ projects: [] }))
      .handle('queue.next', () => page);
    const app = new AppState(api, new CatalogueState(api, new LabelSearch(null)));
    const off = app.listen();
    // The renderer tests run without a DOM: opening a project remembers it in localStorage.
    const store: Record<string, string> = {};
    vi.stubGlobal('localStorage', { getItem: (k: string) => store[k] ?? null, setItem: (k: string, v: string) => (store[k] = v), removeItem: (k: string) => delete store[k] });
    await app.open('demo').catch(() => undefined); // stats, catalogue and training have no handlers here
    await app.annotate!.loadQueue(0);
    const asked = api.callsOf('queue.next').length;
    api.emit('queue.reordered', { projectId: 'demo', strategy: 'random' });
    api.emit('queue.reordered', { projectId: 'other', strategy: 'rare-first' });
    await settle();
    expect(api.callsOf('queue.next')).toHaveLength(asked);
    api.emit('queue.reordered', { projectId: 'demo', strategy: 'rare-first' });
    await settle();
    expect(api.callsOf('queue.next')).toHaveLength(asked + 1);
    off();
    vi.unstubAllGlobals();
  });
});
