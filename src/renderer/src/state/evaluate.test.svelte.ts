import { describe, expect, it } from 'vitest';
import { FakeApi } from '../testing/fake-api';
import { EvaluateState } from './evaluate.svelte';

describe('EvaluateState', () => {
  it('before the first model it shows why there is no report, and no error (issue #14: a 404 and a console error)', async () => {
    const api = new FakeApi().handle('evaluation.report', ({ split }) => ({ modelId: null, split: split ?? 'dev', noModel: 'there is no model to evaluate yet: train one first' }));
    const ev = new EvaluateState(api);
    await ev.load('p');
    expect(ev.report).toBeNull();
    expect(ev.error).toBeNull();
    expect(ev.noModel).toBe('there is no model to evaluate yet: train one first');
  });
});
