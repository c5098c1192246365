import { describe, expect, it } from 'vitest';
import type { AnnotationEvent, AnnotationResult } from '../../../../shared/contract';
import type { ApiError } from '../../api/api';
import { FakeApi, settle } from '../../testing/fake-api';
import { AnnotationWriter, describeEvent } from './annotation-writer.svelte';

const event: AnnotationEvent = { id: 1, docId: 3, extId: 'd3', labelId: 11, code: 'L11', action: 'accept', createdAt: 'now', undone: false };
const result: AnnotationResult = { event, document: { docId: 3, status: 'pending', labels: [] }, history: { undo: event, redo: null }, statusCounts: {} };

function setup(api: FakeApi): { writer: AnnotationWriter; applied: AnnotationResult[]; failed: ApiError[] } {
  const applied: AnnotationResult[] = [];
  const failed: ApiError[] = [];
  const writer = new AnnotationWriter(api, () => 'p', { applied: (r) => applied.push(r), failed: (e) => failed.push(e) });
  return { writer, applied, failed };
}

describe('AnnotationWriter', () => {
  it('is busy while a write is in flight, then keeps the history and hands the reply on', async () => {
    let release: () => void = () => {};
    const api = new FakeApi().handle('annotations.apply', () => new Promise((r) => (release = () => r(result))));
    const { writer, applied } = setup(api);
    const writing = writer.apply(3, 11, 'accept');
    expect(writer.busy).toBe(true);
    await settle();
    release();
    await expect(writing).resolves.toBe(result);
    expect(writer.busy).toBe(false);
    expect(writer.history.undo).toBe(event);
    expect(applied).toEqual([result]);
    expect(api.callsOf('annotations.apply')).toEqual([{ projectId: 'p', docId: 3, labelId: 11, action: 'accept' }]);
  });

  it('a failed write tells why and resolves null, keeping the history', async () => {
    const api = new FakeApi().handle('annotations.history', () => ({ events: [], history: { undo: event, redo: null } })).fail('annotations.undo', 'conflict', 'changed meanwhile');
    const { writer, applied, failed } = setup(api);
    writer.loadHistory();
    await settle();
    await expect(writer.travel('undo')).resolves.toBeNull();
    expect(failed.map((e) => [e.code, e.message])).toEqual([['conflict', 'changed meanwhile']]);
    expect(applied).toEqual([]);
    expect(writer.history.undo).toBe(event);
    expect(writer.busy).toBe(false);
  });

  it('describes events for notices and the undo title', () => {
    expect(describeEvent(event)).toBe('accept L11 on d3');
    expect(describeEvent({ ...event, code: null })).toBe('accept label 11 on d3');
    expect(describeEvent({ ...event, action: 'status', labelId: null, code: null, statusAfter: 'done' })).toBe('mark d3 done');
  });
});
