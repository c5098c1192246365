import { describe, expect, it } from 'vitest';
import type { JobContext } from '../jobs/job-runner';
import { reportImport } from './import-handlers';

describe('reportImport', () => {
  const job = (): JobContext & { seen: Parameters<JobContext['progress']>[0][] } => {
    const seen: Parameters<JobContext['progress']>[0][] = [];
    return { jobId: 'j', signal: new AbortController().signal, progress: (p) => seen.push(p), seen };
  };

  it('counts the records read, and before the first one says it is reading (never "0 records read")', () => {
    const j = job();
    reportImport(j, { phase: 'reading', doneBytes: 0, totalBytes: 0, documents: 0 });
    reportImport(j, { phase: 'reading', doneBytes: 100, totalBytes: 100, documents: 1234 });
    reportImport(j, { phase: 'committing', doneBytes: 100, totalBytes: 100, documents: 1234 });
    expect(j.seen.map((p) => [p.phase, p.message])).toEqual([
      ['reading', 'reading the file'],
      ['reading', '1,234 records read'],
      ['committing', 'writing to the project'],
    ]);
  });
});
