import { describe, expect, it } from 'vitest';
import { LabelSearch } from '../lib/label-search';
import { FakeApi, settle } from '../testing/fake-api';
import { CatalogueState } from './catalogue.svelte';

const ROWS = [
  [1, 'I21.9', '', 'c', '', 'Acute myocardial infarction, unspecified'],
  [2, 'M25.569', '', 'c', '', 'Pain in unspecified knee'],
]
  .map((r) => r.join('\t'))
  .join('\n');

describe('CatalogueState', () => {
  it("loads the words coders used per label with the counts, and refreshes them after annotation", async () => {
    let terms = [{ labelId: 1, terms: ['crushing chest pain'] }];
    let version = 'v1';
    const api = new FakeApi()
      .handle('labels.catalogue', () => ({ version: 'c1', count: 2, rows: ROWS }))
      .handle('labels.counts', () => ({ counts: [1, 3] }))
      .handle('labels.terms', () => ({ version, labels: terms }));
    const catalogue = new CatalogueState(api, new LabelSearch(null));
    const off = catalogue.listen();
    await catalogue.ensure('p');
    expect(catalogue.status).toBe('ready');
    const find = (q: string): string[] => catalogue.search.search(q, { leafOnly: true, limit: 10 }).items.map((h) => h.code);
    expect(find('crushing')).toEqual(['I21.9']);
    expect(find('stairs')).toEqual([]);
    // A coder assigns M25.569 to a text about stairs: after the pause, the picker knows the word.
    terms = [...terms, { labelId: 2, terms: ['stairs'] }];
    version = 'v2';
    api.emit('projects.changed', { projectId: 'p', what: 'annotations' });
    await settle(1600);
    expect(find('stairs')).toEqual(['M25.569']);
    off();
  });

  it('without labels.terms (an older main side) the catalogue still loads and searches', async () => {
    const api = new FakeApi().handle('labels.catalogue', () => ({ version: 'c1', count: 2, rows: ROWS })).handle('labels.counts', () => ({ counts: [] }));
    const catalogue = new CatalogueState(api, new LabelSearch(null));
    await catalogue.ensure('p');
    expect(catalogue.status).toBe('ready');
    expect(catalogue.search.search('knee', { leafOnly: true, limit: 10 }).items.map((h) => h.code)).toEqual(['M25.569']);
  });
});

describe('CatalogueState across projects', () => {
  it("a slower catalogue of the project left behind never replaces the open project's index", async () => {
    const rows = (code: string): string => [1, code, '', 'c', '', `Title of ${code}`].join('\t');
    let releaseFirst: () => void = () => {};
    const firstGate = new Promise<void>((r) => (releaseFirst = r));
    const api = new FakeApi()
      .handle('labels.catalogue', async ({ projectId }) => {
        if (projectId === 'big') await firstGate; // the demo's 94k labels take a while
        return { version: projectId, count: 1, rows: rows(projectId === 'big' ? 'BIG.1' : 'SMALL.1') };
      })
      .handle('labels.counts', () => ({ counts: [] }))
      .handle('labels.terms', () => ({ version: 'v', labels: [] }));
    const catalogue = new CatalogueState(api, new LabelSearch(null));
    const big = catalogue.ensure('big');
    await catalogue.ensure('small');
    releaseFirst();
    await big;
    expect(catalogue.search.search('title', { leafOnly: true, limit: 5 }).items.map((h) => h.code)).toEqual(['SMALL.1']);
  });
});
