import { describe, expect, it } from 'vitest';
import { LabelSearch } from '../lib/label-search';
import { FakeApi, settle } from '../testing/fake-api';
import { PickerState } from './picker.svelte';

const ROWS = [
  [1, 'CH04', '', 'g', '', 'Endocrine, nutritional and metabolic diseases'],
  [2, 'E11', 'CH04', 'c', '', 'Type 2 diabetes mellitus'],
  [3, 'E11.9', 'E11', 'c', '', 'Type 2 diabetes mellitus without complications'],
  [4, 'E11.65', 'E11', 'c', '', 'Type 2 diabetes mellitus with hyperglycemia'],
  [5, 'I10', '', 'c', '', 'Essential (primary) hypertension'],
]
  .map((r) => r.join('\t'))
  .join('\n');

async function setup(): Promise<{ api: FakeApi; picker: PickerState }> {
  // No worker in Node: the same search handler runs inline (the UI-thread fallback).
  const search = new LabelSearch(null);
  await search.load({ rows: ROWS, version: 'v' });
  await search.setCounts([3, 4]);
  const api = new FakeApi().handle('labels.recent', () => ({
    items: [{ id: 5, code: 'I10', title: 'Essential (primary) hypertension', synonyms: [], parentCode: null, kind: 'code', trainCount: 9, flagged: false }],
  }));
  return { api, picker: new PickerState(api, search) };
}

describe('PickerState', () => {
  it('shows recent labels first, then type-ahead results with paths and training counts', async () => {
    const { picker } = await setup();
    picker.show('p');
    await settle();
    expect(picker.rows.map((r) => r.code)).toEqual(['I10']);
    picker.setQuery('diab with');
    await settle();
    expect(picker.shownQuery).toBe('diab with');
    expect(picker.rows.map((r) => r.code).sort()).toEqual(['E11.65', 'E11.9']);
    const hit = picker.rows.find((r) => r.code === 'E11.9')!;
    expect(hit.path.map((p) => p.code)).toEqual(['CH04', 'E11']);
    expect(hit.trainCount).toBe(4);
  });

  it('never shows an older query after a newer one (fast typing)', async () => {
    const { picker } = await setup();
    picker.setQuery('e');
    picker.setQuery('e11.6');
    await settle();
    expect(picker.shownQuery).toBe('e11.6');
    expect(picker.rows.map((r) => r.code)).toEqual(['E11.65']);
  });

  it('leaf-only hides codes with children from search and disables them in the tree, which opens and closes in place', async () => {
    const { picker } = await setup();
    picker.setQuery('E11');
    await settle();
    expect(picker.rows.map((r) => r.code)).toEqual(['E11.9', 'E11.65']);
    picker.setLeafOnly(false);
    await settle();
    expect(picker.canAssign(picker.rows.find((r) => r.code === 'E11')!)).toBe(true);
    picker.setLeafOnly(true);
    picker.setTab('browse');
    await settle();
    expect(picker.rows.map((r) => r.code)).toEqual(['CH04', 'I10']);
    picker.toggle(picker.rows[0]!);
    expect(picker.canAssign(picker.rows.find((r) => r.code === 'E11')!)).toBe(false);
    picker.toggle(picker.rows.find((r) => r.code === 'E11')!);
    expect(picker.rows.map((r) => `${'  '.repeat(r.depth ?? 0)}${r.code}`)).toEqual(['CH04', '  E11', '    E11.65', '    E11.9', 'I10']);
    picker.toggle(picker.rows[0]!);
    expect(picker.rows.map((r) => r.code)).toEqual(['CH04', 'I10']);
    picker.reveal(3);
    expect(picker.activeRow?.code).toBe('E11.9');
  });

  it('moves the active row within bounds', async () => {
    const { picker } = await setup();
    picker.setQuery('diabetes');
    await settle();
    picker.move(10);
    expect(picker.active).toBe(picker.rows.length - 1);
    picker.move(-10);
    expect(picker.active).toBe(0);
  });
});
