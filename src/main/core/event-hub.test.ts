import { describe, expect, it } from 'vitest';
import type { JobFinished, JobProgress } from '../../shared/contract';
import { EventHub } from './event-hub';

const progress = (jobId: string, done: number): JobProgress => ({ jobId, projectId: 'p', kind: 'train', phase: 'finetune', done, total: 10, unit: 'step' });
const finished = (jobId: string): JobFinished => ({ jobId, projectId: 'p', kind: 'train', outcome: 'done', durationMs: 5 });

describe('EventHub', () => {
  it('numbers events from 1 and tells listeners the number', () => {
    const hub = new EventHub();
    const seen: number[] = [];
    hub.on((_event, _payload, seq) => seen.push(seq));
    expect(hub.seq).toBe(0);
    hub.emit('jobs.progress', progress('job-a', 1));
    hub.emit('projects.changed', { projectId: 'p', what: 'models' });
    expect(seen).toEqual([1, 2]);
    expect(hub.seq).toBe(2);
  });

  it('replays, oldest first, the newest event per job and per change since a number', () => {
    const hub = new EventHub();
    hub.emit('jobs.progress', progress('job-a', 1)); // 1
    hub.emit('jobs.progress', progress('job-a', 2)); // 2
    hub.emit('projects.changed', { projectId: 'p', what: 'annotations' }); // 3
    hub.emit('jobs.progress', progress('job-a', 3)); // 4
    hub.emit('jobs.finished', finished('job-a')); // 5
    hub.emit('projects.changed', { projectId: 'p', what: 'models' }); // 6
    hub.emit('projects.changed', { projectId: 'p', what: 'annotations' }); // 7

    const missed = hub.since(1);
    expect(missed).not.toBe('gap');
    expect((missed as { seq: number }[]).map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    expect(missed).toContainEqual({ seq: 4, event: 'jobs.progress', payload: progress('job-a', 3) });
    expect(hub.since(5)).toEqual([
      { seq: 6, event: 'projects.changed', payload: { projectId: 'p', what: 'models' } },
      { seq: 7, event: 'projects.changed', payload: { projectId: 'p', what: 'annotations' } },
    ]);
    expect(hub.since(7)).toEqual([]);
  });

  it('answers gap for a number it cannot account for', () => {
    const hub = new EventHub(2);
    hub.emit('jobs.finished', finished('job-a')); // 1
    // A number from before a restart is ahead of this hub's.
    expect(hub.since(5)).toBe('gap');
    hub.emit('jobs.finished', finished('job-b')); // 2
    hub.emit('jobs.finished', finished('job-c')); // 3: job-a's end is forgotten
    expect(hub.since(0)).toBe('gap');
    expect(hub.since(1)).toEqual([
      { seq: 2, event: 'jobs.finished', payload: finished('job-b') },
      { seq: 3, event: 'jobs.finished', payload: finished('job-c') },
    ]);
  });

  it('keeps telling other listeners when one throws', () => {
    const hub = new EventHub();
    const heard: string[] = [];
    hub.on(() => {
      throw new Error('broken transport');
    });
    hub.on((event) => heard.push(event));
    const error = console.error;
    console.error = () => {};
    try {
      hub.emit('jobs.finished', finished('job-a'));
    } finally {
      console.error = error;
    }
    expect(heard).toEqual(['jobs.finished']);
  });
});
