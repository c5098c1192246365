import { doneResult, type JobFinished, type JobKind, type JobProgress, type JobResult } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Services } from '../app/services';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress is drawn in place; otherwise printed sparsely. */
  interactive: boolean;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  interactive: !!process.stderr.isTTY,
};

export class UsageError extends Error {}

/**
 * `planter predict … | head`: once the reader has gone, writing raises EPIPE, which Node reports as
 * an uncaught error with a stack trace (issue #14). Stop quietly instead, as Unix tools do.
 */
export function stopOnBrokenPipe(stream: Pick<NodeJS.WriteStream, 'on'>, exit: (code: number) => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') exit(0);
    else throw e;
  });
}

/**
 * One line of progress: the whole run's share and time left first (training), then the stage's
 * bar. Both only move forward: the job reports them monotone (training/run-progress.ts).
 */
export function formatProgress(p: JobProgress): string {
  const stagePct = p.total > 0 ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
  const seconds = (ms: number): string => (ms >= 90_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`);
  const overall = p.overall ? `${Math.floor(100 * p.overall.fraction)}% of the run${p.overall.etaMs !== undefined ? `, about ${seconds(p.overall.etaMs)} left` : ''} · ` : '';
  const eta = !p.overall && p.etaMs ? ` eta ${Math.ceil(p.etaMs / 1000)}s` : '';
  const loss = p.metrics?.loss !== undefined ? ` loss ${p.metrics.loss.toFixed(4)}` : '';
  return `${overall}${p.phase}${stagePct}${loss}${eta}${p.message ? ` — ${p.message}` : ''}`;
}

/** Waits for a job, drawing its progress on stderr (unless --json keeps stderr quiet). */
export async function waitForJob(services: Services, jobId: string, io: CliIo, quiet: boolean): Promise<JobFinished> {
  let last = '';
  let lastPrint = 0;
  const off = services.events.on((event, payload) => {
    if (quiet || event !== 'jobs.progress') return;
    const p = payload as JobProgress;
    if (p.jobId !== jobId) return;
    const line = formatProgress(p);
    if (io.interactive) {
      process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    } else if (line !== last && Date.now() - lastPrint > 2000) {
      io.err(line);
      lastPrint = Date.now();
    }
    last = line;
  });
  const onSigint = (): void => {
    services.jobs.cancel(jobId);
  };
  process.once('SIGINT', onSigint);
  try {
    const finished = await services.jobs.wait(jobId);
    if (io.interactive && !quiet && last) process.stderr.write('\r\x1b[2K');
    return finished;
  } finally {
    off();
    process.off('SIGINT', onSigint);
  }
}

/** Turns a finished job of one of `kinds` into its result, or throws its error as a one-line PlanterError. */
export function resultOf<K extends JobKind>(finished: JobFinished, kinds: K | readonly K[]): JobResult<K> {
  if (finished.outcome === 'done') {
    const result = doneResult(finished, kinds);
    if (result === null) throw new PlanterError('internal', `the ${finished.kind} job ${finished.jobId} finished without the result of a ${String(kinds)} job`);
    return result;
  }
  if (finished.outcome === 'cancelled') throw new PlanterError('cancelled', 'cancelled');
  const e = finished.error ?? { code: 'internal' as const, message: 'job failed' };
  throw new PlanterError(e.code, e.message, e.details);
}
