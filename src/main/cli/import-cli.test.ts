import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../importers/fixtures/harness';
import type { CliIo } from './io';
import { runCli } from './run';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false };
}

// Issue #14, bugs 7 and 8 on the command line: tool exports are detected from their records, and
// an error names the flag that fixes it (the same error in the app names the field instead).
describe('planter import: formats and errors', () => {
  let dir: string;
  const previousHome = process.env.PLANTER_HOME;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'planter-cli-import-'));
    process.env.PLANTER_HOME = join(dir, 'home');
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.PLANTER_HOME;
    else process.env.PLANTER_HOME = previousHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a Prodigy .jsonl as Prodigy without --format, and says so', async () => {
    const project = join(dir, 'prodigy');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const file = join(dir, 'annotations.jsonl');
    copyFileSync(join(FIXTURES, 'prodigy.jsonl'), file);
    const io = capture();
    expect(await runCli(['import', '--project', project, file], io), io.stderr.join('\n')).toBe(0);
    expect(io.stdout[0]).toMatch(/^imported \d+ documents and [1-9]\d* label assignments from annotations\.jsonl \(read as prodigy\)/);
  });

  it('an empty Label Studio export ("[]") imports nothing and says so', async () => {
    const project = join(dir, 'empty-ls');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const file = join(dir, 'empty.json');
    writeFileSync(file, '[]\n');
    const io = capture();
    expect(await runCli(['import', '--project', project, file], io), io.stderr.join('\n')).toBe(0);
    expect(io.stdout[0]).toBe('imported nothing: empty.json (read as label-studio) holds no documents (an export of an empty project); the project is unchanged');
  });

  it('--format jsonl on a doccano export fails with the format to use, and imports nothing', async () => {
    const project = join(dir, 'doccano');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const file = join(dir, 'export.jsonl');
    copyFileSync(join(FIXTURES, 'doccano.jsonl'), file);
    const io = capture();
    expect(await runCli(['import', '--project', project, file, '--format', 'jsonl'], io)).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/^planter import: export\.jsonl: looks like a doccano export .*choose the format "doccano".* \(--format doccano\)$/);
    const stats = capture();
    await runCli(['stats', '--project', project, '--json'], stats);
    expect(JSON.parse(stats.stdout[0]!).documents.total).toBe(0);
  });

  it('a missing field names the field and, on the command line, the flag that sets it', async () => {
    const project = join(dir, 'fields');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const file = join(dir, 'notes.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'a', body: 'x' })}\n`);
    const io = capture();
    expect(await runCli(['import', '--project', project, file, '--id-field', 'id'], io)).toBe(1);
    expect(io.stderr.at(-1)).toBe('planter import: notes.jsonl line 1: has no field "text" (the text field); the fields are: id, body (set it with --text-field)');
    const gap = join(dir, 'gap.jsonl');
    writeFileSync(gap, `${JSON.stringify({ id: 'a', body: 'x', codes: [] })}\n${JSON.stringify({ id: 'b', codes: [] })}\n`);
    const io2 = capture();
    expect(await runCli(['import', '--project', project, gap, '--text-field', 'body', '--labels-field', 'codes', '--id-field', 'id'], io2)).toBe(1);
    expect(io2.stderr.at(-1)).toBe('planter import: gap.jsonl line 2: field "body" is missing (set it with --text-field)');
  });

  it('planter labels refuses an ICD-9-CM table into an ICD-10-CM project unless --force, and says which titles it replaced', async () => {
    const project = join(dir, 'icd');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    expect(await runCli(['labels', '--project', project, join(FIXTURES, 'icd10cm-sample.tsv')], capture())).toBe(0);
    const refused = capture();
    expect(await runCli(['labels', '--project', project, join(FIXTURES, 'icd9cm-sample.tsv')], refused)).toBe(1);
    expect(refused.stderr.at(-1)).toMatch(/^planter labels: icd9cm-sample\.tsv holds ICD-9-CM but this project's catalogue is ICD-10-CM: importing it would add \d+ labels and change \d+ titles\. Nothing was imported; to mix the two, import it again with force \(--force\)$/);
    const forced = capture();
    expect(await runCli(['labels', '--project', project, join(FIXTURES, 'icd9cm-sample.tsv'), '--force'], forced)).toBe(0);
    expect(forced.stdout[0]).toMatch(/^catalogue icd9cm-sample\.tsv: \d+ labels created, \d+ updated \([1-9]\d* titles? changed: CH01 ".+" → "Infectious And Parasitic Diseases"/);
  });
});
