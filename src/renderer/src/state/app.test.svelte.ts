import { describe, expect, it } from 'vitest';
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
