import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotatorReport } from '../../shared/contract';
import type { CliIo } from './io';
import { runCli } from './run';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false };
}

describe('planter mark and planter annotators', () => {
  let dir: string;
  const previousHome = process.env.PLANTER_HOME;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'planter-cli-prov-'));
    process.env.PLANTER_HOME = join(dir, 'home');
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.PLANTER_HOME;
    else process.env.PLANTER_HOME = previousHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks a split’s pending documents as one batch, recorded under the install’s annotator name', async () => {
    const project = join(dir, 'proj');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const corpus = join(dir, 'docs.csv');
    writeFileSync(corpus, 'id,text,labels,split\na,one,,pool\nb,two,,pool\nc,three,,dev\n');
    expect(await runCli(['import', '--project', project, corpus, '--split-field', 'split', '--json'], capture())).toBe(0);
    expect(await runCli(['annotators', '--project', project, '--name', 'Ana', '--json'], capture())).toBe(0);

    const io = capture();
    expect(await runCli(['mark', '--project', project, '--status', 'skipped', '--json'], io), io.stderr.join('\n')).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toEqual({ changed: 2, batchId: 1 });
    const again = capture();
    expect(await runCli(['mark', '--project', project, '--status', 'skipped'], again)).toBe(0);
    expect(again.stdout[0]).toBe('marked 0 documents skipped');

    const stats = capture();
    expect(await runCli(['annotators', '--project', project, '--json'], stats)).toBe(0);
    const report = JSON.parse(stats.stdout[0]!) as AnnotatorReport;
    expect(report.annotators.map((a) => [a.annotator, a.decisions, a.documentsDone])).toEqual([['Ana', 2, 0]]);
  });

  it('refuses an unknown status as a usage error', async () => {
    const io = capture();
    expect(await runCli(['mark', '--project', join(dir, 'proj'), '--status', 'finished'], io)).toBe(2);
    expect(io.stderr[0]).toContain('unknown --status finished');
  });
});
