import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { formatProgress, stopOnBrokenPipe } from './io';
import type { CliIo } from './io';
import { runCli } from './run';

describe('stopOnBrokenPipe', () => {
  const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

  it('exits 0 without a stack trace when the reader of stdout has gone (planter predict … | head)', () => {
    const stream = new EventEmitter();
    const exits: number[] = [];
    stopOnBrokenPipe(stream as never, (code) => exits.push(code));
    stream.emit('error', epipe);
    expect(exits).toEqual([0]);
  });

  it('lets any other write error through', () => {
    const stream = new EventEmitter();
    stopOnBrokenPipe(stream as never, () => undefined);
    expect(() => stream.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toThrow('disk full');
  });
});

describe('planter predict takes its documents like import takes its file', () => {
  const io = (): CliIo & { stderr: string[] } => {
    const stderr: string[] = [];
    return { stderr, out: () => undefined, err: (t) => stderr.push(t), interactive: false };
  };

  it('refuses two document files (FILE and --docs) and none, as usage errors', async () => {
    const both = io();
    expect(await runCli(['predict', '--model', 'm', 'a.jsonl', '--docs', 'b.jsonl'], both)).toBe(2);
    expect(both.stderr[0]).toContain('give exactly one FILE of documents (or --docs FILE)');
    expect(await runCli(['predict', '--model', 'm'], io())).toBe(2);
  });
});

describe('the metric table of train, retrain and eval', () => {
  it('says its unit (%) and prints percentages, while --json keeps fractions (issue #14)', async () => {
    const { formatReport } = await import('./commands/train');
    const keys = ['p@1', 'p@3', 'p@5', 'ndcg@1', 'ndcg@3', 'ndcg@5', 'psp@1', 'psp@3', 'psp@5', 'micro_f1', 'macro_f1', 'macro_auc'] as const;
    const set = Object.fromEntries(keys.map((k) => [k, 0.5]));
    const bucket = { ...set, labels: 3 };
    const table = formatReport({ ...set, buckets: { zero: bucket, few: bucket, mid: bucket, head: bucket } } as never);
    expect(table.split('\n')[0]).toBe('metrics in % (--json gives fractions in [0, 1])');
    expect(table.split('\n')[2]).toMatch(/^all\s+50\.0\s+50\.0/);
  });
});

describe('formatProgress', () => {
  it("puts the whole run's share and time left before the stage's bar (issue #14)", () => {
    const p = { jobId: 'j', projectId: 'p', kind: 'train' as const, phase: 'l2r', done: 44, total: 50, unit: 'step', etaMs: 3000, metrics: { loss: 0.5 }, overall: { fraction: 0.314, etaMs: 125_000 } };
    expect(formatProgress(p)).toBe('31% of the run, about 3 min left · l2r 88% loss 0.5000');
    expect(formatProgress({ ...p, overall: { fraction: 0.05 } })).toBe('5% of the run · l2r 88% loss 0.5000');
  });
});
