import { describe, expect, it } from 'vitest';
import type { JobFinished, JobState } from '../../../shared/contract';
import { FakeApi, settle } from '../testing/fake-api';
import { JobTracker } from './jobs.svelte';

const finished: JobFinished = { jobId: 'job-demo', projectId: 'demo', kind: 'demo', outcome: 'done', durationMs: 900 };
const state = (done: boolean): JobState => ({ jobId: 'job-demo', projectId: 'demo', kind: 'demo', startedAt: 'now', progress: null, finished: done ? finished : null });

describe('JobTracker', () => {
  it('learns that a job finished by polling when its finished event was never heard', async () => {
    let polls = 0;
    const api = new FakeApi().handle('jobs.get', () => state(++polls >= 3));
    const tracker = new JobTracker();
    const off = tracker.listen(api);
    const outcome = tracker.whenFinished('job-demo');
    tracker.pollUntilFinished(api, 'job-demo', 5);
    await expect(outcome).resolves.toEqual(finished);
    expect(polls).toBe(3);
    await settle(30);
    expect(polls).toBe(3);
    off();
  });

  it('stops polling once the finished event arrives', async () => {
    let polls = 0;
    const api = new FakeApi().handle('jobs.get', () => (polls++, state(false)));
    const tracker = new JobTracker();
    const off = tracker.listen(api);
    tracker.pollUntilFinished(api, 'job-demo', 5);
    api.emit('jobs.finished', finished);
    await expect(tracker.whenFinished('job-demo')).resolves.toEqual(finished);
    await settle(30);
    expect(polls).toBeLessThanOrEqual(1);
    off();
  });
});
