import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import { EventHub } from '../core/event-hub';
import { JobRunner } from './job-runner';

function recorder(): { hub: EventHub; seen: { event: EventName; payload: unknown }[] } {
  const hub = new EventHub();
  const seen: { event: EventName; payload: unknown }[] = [];
  hub.on(<E extends EventName>(event: E, payload: EventPayload<E>) => seen.push({ event, payload }));
  return { hub, seen };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobRunner', () => {
  it('sends exactly one jobs.finished with the result', async () => {
    const { hub, seen } = recorder();
    const jobs = new JobRunner(hub);
    const id = jobs.start('index', 'p', async () => ({ documents: 3, labels: 2, complete: true }));
    const finished = await jobs.wait(id);
    expect(finished).toMatchObject({ jobId: id, kind: 'index', outcome: 'done', result: { documents: 3, labels: 2, complete: true } });
    expect(seen.filter((s) => s.event === 'jobs.finished')).toHaveLength(1);
  });

  it("fails a job whose result is not its kind's contract result, naming the field", async () => {
    const jobs = new JobRunner(new EventHub());
    const wrong = { documents: 3, labels: 'two', complete: true } as unknown as { documents: number; labels: number; complete: boolean };
    const finished = await jobs.wait(jobs.start('index', 'p', async () => wrong));
    expect(finished).toMatchObject({ outcome: 'failed', error: { code: 'internal' } });
    expect(finished.error?.message).toContain('labels');
    expect(finished.result).toBeUndefined();
  });

  it('sends the result as the contract describes it: fields it does not name are left out', async () => {
    const jobs = new JobRunner(new EventHub());
    const extra = { projectId: 'p', scratch: '/tmp/x' } as { projectId: string };
    expect((await jobs.wait(jobs.start('demo', 'p', async () => extra))).result).toEqual({ projectId: 'p' });
  });

  it('throttles progress to about ten a second, last value winning', async () => {
    const { hub, seen } = recorder();
    const jobs = new JobRunner(hub);
    const id = jobs.start('index', 'p', async (ctx) => {
      for (let i = 1; i <= 1000; i++) {
        ctx.progress({ phase: 'fit', done: i, total: 1000, unit: 'step' });
        if (i % 100 === 0) await sleep(20);
      }
      await sleep(150);
      return { documents: 0, labels: 0, complete: true };
    });
    await jobs.wait(id);
    const progress = seen.filter((s) => s.event === 'jobs.progress').map((s) => s.payload as { done: number });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(30);
    expect(progress[progress.length - 1]!.done).toBe(1000);
  });

  it('turns cancellation into the cancelled outcome, and cancel twice is harmless', async () => {
    const { hub, seen } = recorder();
    const jobs = new JobRunner(hub);
    const id = jobs.start('train', 'p', async (ctx) => {
      while (!ctx.signal.aborted) await sleep(5);
      throw new PlanterError('cancelled', 'stopped');
    });
    await sleep(20);
    expect(jobs.cancel(id)).toBe(true);
    const finished = await jobs.wait(id);
    expect(finished.outcome).toBe('cancelled');
    expect(finished.error).toBeUndefined();
    expect(jobs.cancel(id)).toBe(false);
    expect(seen.filter((s) => s.event === 'jobs.finished')).toHaveLength(1);
  });

  it('reports a failure with the error code of a PlanterError', async () => {
    const jobs = new JobRunner(new EventHub());
    const id = jobs.start('import', 'p', async () => {
      throw new PlanterError('bad-file', 'x.jsonl line 3: invalid JSON', { file: 'x.jsonl', line: 3 });
    });
    const finished = await jobs.wait(id);
    expect(finished).toMatchObject({ outcome: 'failed', error: { code: 'bad-file', details: { line: 3 } } });
  });

  it('knows which jobs of a project are running', async () => {
    const jobs = new JobRunner(new EventHub());
    let release!: () => void;
    const id = jobs.start('demo', 'p', () => new Promise<{ projectId: string }>((r) => (release = () => r({ projectId: 'p' }))));
    await sleep(5);
    expect(jobs.running('p', ['demo'])?.jobId).toBe(id);
    expect(jobs.running('q', ['demo'])).toBeUndefined();
    release();
    await jobs.wait(id);
    expect(jobs.running('p', ['demo'])).toBeUndefined();
  });
});
