import { describe, expect, it } from 'vitest';
import type { CoderSpan, HistoryState, SpanResult } from '../../../../shared/contract';
import type { ApiError } from '../../api/api';
import { FakeApi } from '../../testing/fake-api';
import { SpanEditor } from './span-editor.svelte';

const span: CoderSpan = { id: 4, docId: 3, labelId: 11, code: 'R52', start: 0, end: 5, text: 'dolor', source: 'added', createdAt: 'now' };
const event = { id: 9, docId: 3, extId: 'd3', labelId: 11, code: 'R52', action: 'span-add' as const, createdAt: 'now', undone: false };
const added: SpanResult = { changed: true, span, docId: 3, spans: [span], history: { undo: event, redo: null } };

function setup(api: FakeApi): { editor: SpanEditor; histories: HistoryState[]; failed: ApiError[] } {
  const histories: HistoryState[] = [];
  const failed: ApiError[] = [];
  const editor = new SpanEditor(api, () => 'p', { history: (h) => histories.push(h), failed: (e) => failed.push(e) });
  return { editor, histories, failed };
}

describe('SpanEditor', () => {
  it('a write shows the reply\'s spans and hands its history to the annotation history', async () => {
    const api = new FakeApi().handle('spans.add', () => added);
    const { editor, histories } = setup(api);
    await editor.add(3, 11, 0, 5);
    expect(api.callsOf('spans.add')).toEqual([{ projectId: 'p', docId: 3, labelId: 11, start: 0, end: 5 }]);
    expect(editor.spans).toEqual([span]);
    expect(editor.docId).toBe(3);
    expect(histories).toEqual([added.history]);
  });

  it('a list that answers after a newer load is dropped', async () => {
    let answerFirst: (v: { spans: CoderSpan[] }) => void = () => {};
    let n = 0;
    const api = new FakeApi().handle('spans.list', () => (n++ === 0 ? new Promise((r) => (answerFirst = r)) : { spans: [] }));
    const { editor } = setup(api);
    const first = editor.load(3);
    await editor.load(5);
    answerFirst({ spans: [span] });
    await first;
    expect(editor.docId).toBe(5);
    expect(editor.spans).toEqual([]);
  });

  it('a failed write keeps what is shown and reports the error', async () => {
    const api = new FakeApi().handle('spans.list', () => ({ spans: [span] })).fail('spans.delete', 'not-found', 'no span 4');
    const { editor, failed } = setup(api);
    await editor.load(3);
    expect(await editor.remove(4)).toBeNull();
    expect(editor.spans).toEqual([span]);
    expect(failed.map((e) => e.message)).toEqual(['no span 4']);
    expect(editor.busy).toBe(false);
  });
});
