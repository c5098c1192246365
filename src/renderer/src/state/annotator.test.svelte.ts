import { describe, expect, it } from 'vitest';
import { FakeApi } from '../testing/fake-api';
import { AnnotatorState } from './annotator.svelte';

describe('AnnotatorState', () => {
  it('asks at first start (no name yet), and stops asking once a name is saved', async () => {
    const api = new FakeApi().handle('annotator.get', () => ({ name: null })).handle('annotator.set', ({ name }) => ({ name: name.trim() }));
    const a = new AnnotatorState(api);
    await a.load();
    expect([a.loaded, a.name, a.asking]).toEqual([true, null, true]);
    await expect(a.save(' Ana ')).resolves.toBe(true);
    expect([a.name, a.asking]).toEqual(['Ana', false]);
  });

  it('does not ask when a name is stored; change() asks again; a refused name keeps the dialog with the reason', async () => {
    const api = new FakeApi().handle('annotator.get', () => ({ name: 'Ben' })).fail('annotator.set', 'invalid-input', 'an annotator name is not empty');
    const a = new AnnotatorState(api);
    await a.load();
    expect(a.asking).toBe(false);
    a.change();
    expect(a.asking).toBe(true);
    await expect(a.save('  ')).resolves.toBe(false);
    expect([a.asking, a.name, a.error]).toEqual([true, 'Ben', 'an annotator name is not empty']);
  });
});
