import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { runCli } from './run';
import { CliSession } from './session';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false };
}

describe('planter guidelines and planter notes', () => {
  let dir: string;
  let project: string;
  const previousHome = process.env.PLANTER_HOME;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'planter-cli-notes-'));
    process.env.PLANTER_HOME = join(dir, 'home');
    project = join(dir, 'proj');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const corpus = join(dir, 'docs.jsonl');
    writeFileSync(corpus, ['{"id":"d1","text":"Fiebre","labels":["R50.9"]}', '{"id":"d2","text":"Tos","labels":[]}'].join('\n'));
    expect(await runCli(['import', '--project', project, corpus, '--labels-field', 'labels', '--id-field', 'id'], capture())).toBe(0);
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.PLANTER_HOME;
    else process.env.PLANTER_HOME = previousHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('guidelines: says there are none, --set stores a file, then prints it', async () => {
    const none = capture();
    expect(await runCli(['guidelines', '--project', project], none)).toBe(0);
    expect(none.stdout.join('\n')).toContain('no guidelines yet');
    const file = join(dir, 'rules.md');
    writeFileSync(file, '# Rules\n\n- Code confirmed diagnoses only.\n');
    const set = capture();
    expect(await runCli(['guidelines', '--project', project, '--set', file], set)).toBe(0);
    expect(set.stdout.join('\n')).toContain('saved the guidelines');
    const json = capture();
    expect(await runCli(['guidelines', '--project', project, '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout[0]!)).toMatchObject({ text: '# Rules\n\n- Code confirmed diagnoses only.\n', updatedAt: expect.any(String) });
  });

  it('guidelines --set with a missing file is a usage error, and changes nothing', async () => {
    const io = capture();
    expect(await runCli(['guidelines', '--project', project, '--set', join(dir, 'missing.md')], io)).not.toBe(0);
    expect(io.stderr.join('\n')).toContain('cannot read --set');
  });

  it('notes: finds documents by their notes', async () => {
    const session = new CliSession();
    try {
      const projectId = session.project(project);
      const d1 = (await session.call('documents.list', { projectId, query: 'fiebre' })).items[0]!.id;
      await session.call('notes.set', { projectId, docId: d1, text: 'falta la biopsia' });
    } finally {
      await session.dispose();
    }
    const io = capture();
    expect(await runCli(['notes', '--project', project, 'biop'], io)).toBe(0);
    expect(io.stdout.join('\n')).toBe('1 note matches\nd1\tfalta la [biopsia]');
    const none = capture();
    expect(await runCli(['notes', '--project', project, '--json', 'nothing'], none)).toBe(0);
    expect(JSON.parse(none.stdout[0]!)).toEqual({ total: 0, items: [] });
    expect(await runCli(['notes', '--project', project], capture())).not.toBe(0);
  });
});
