import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { runCli } from './run';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false };
}

describe('planter import-spans', () => {
  let dir: string;
  let project: string;
  const previousHome = process.env.PLANTER_HOME;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'planter-cli-spans-'));
    process.env.PLANTER_HOME = join(dir, 'home');
    project = join(dir, 'p');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const corpus = join(dir, 'docs.jsonl');
    writeFileSync(corpus, JSON.stringify({ id: 'd1', text: 'Mujer con edemas y dolor.', labels: ['R60.9', 'R52'] }) + '\n');
    expect(await runCli(['import', '--project', project, corpus, '--id-field', 'id', '--labels-field', 'labels'], capture())).toBe(0);
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.PLANTER_HOME;
    else process.env.PLANTER_HOME = previousHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the spans that match, and lists the line of each that does not', async () => {
    const file = join(dir, 'X.tsv');
    writeFileSync(file, ['d1\tDIAGNOSTICO\tr60.9\tedemas\t10 16', 'd1\tDIAGNOSTICO\tr52\tdolor.\t19 24'].join('\n') + '\n');
    const io = capture();
    expect(await runCli(['import-spans', '--project', project, file], io), io.stderr.join('\n')).toBe(0);
    expect(io.stdout.join('\n')).toBe(
      'imported 1 evidence spans from 2 rows of X.tsv; 1 rows whose text differs from the document at their offsets were not stored\n' +
        '  X.tsv line 2 (d1): the file says "dolor.", the document has "dolor"',
    );
  });

  it('eval --agreement reads the spans; without a model it says to train one first', async () => {
    const io = capture();
    expect(await runCli(['eval', '--project', project, '--agreement'], io)).not.toBe(0);
    expect(io.stderr.join('\n')).toContain('there is no model to evaluate yet: train one first (planter train)');
  });

  it('a malformed file fails with its file, line and field and imports nothing', async () => {
    const file = join(dir, 'bad.tsv');
    writeFileSync(file, 'd1\tDIAGNOSTICO\tr52\tdolor\t19 24\nd1\tDIAGNOSTICO\tr52\tdolor\t19\n');
    const io = capture();
    expect(await runCli(['import-spans', '--project', project, file], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('bad.tsv line 2: field "offsets" must be "start end" pairs');
    const json = capture();
    expect(await runCli(['import-spans', '--project', project, join(dir, 'X.tsv'), '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout[0]!)).toMatchObject({ imported: 0, duplicates: 1 });
  });
});
