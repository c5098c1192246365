import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('planter CLI', () => {
  let dir: string;
  const previousHome = process.env.PLANTER_HOME;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'planter-cli-'));
    process.env.PLANTER_HOME = join(dir, 'home');
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.PLANTER_HOME;
    else process.env.PLANTER_HOME = previousHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints help for every command and exits 0', async () => {
    for (const cmd of ['init', 'import', 'labels', 'stats', 'export-annotations', 'serve']) {
      const io = capture();
      expect(await runCli([cmd, '--help'], io)).toBe(0);
      expect(io.stdout.join('\n')).toContain(`planter ${cmd}`);
    }
  });

  it('runs init, labels, import, stats --json and export-annotations end to end', async () => {
    const project = join(dir, 'proj');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const labels = join(dir, 'labels.csv');
    writeFileSync(labels, 'code,title,parent,synonyms\nI10,Essential hypertension,,high blood pressure\nE11.9,Type 2 diabetes,,\n');
    expect(await runCli(['labels', '--project', project, labels, '--json'], capture())).toBe(0);
    const corpus = join(dir, 'docs.csv');
    writeFileSync(corpus, 'doc,body,codes,part\nd1,"Hypertension, treated",I10,train\nd2,"Diabetes ""type 2""",E11.9;I10,train\nd3,Fever,R50.9,dev\n');
    const io = capture();
    const code = await runCli(['import', '--project', project, corpus, '--text-field', 'body', '--labels-field', 'codes', '--id-field', 'doc', '--split-field', 'part', '--json'], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ documents: 3, assignments: 4, labelsFlagged: 1 });
    const stats = capture();
    expect(await runCli(['stats', '--project', project, '--json'], stats)).toBe(0);
    const s = JSON.parse(stats.stdout[0]!);
    expect(s.documents).toEqual({ total: 3, train: 2, dev: 1 });
    expect(s.labels).toMatchObject({ total: 3, used: 3, buckets: { zero: 1, few: 2, mid: 0, head: 0 } });
    const out = join(dir, 'export.jsonl');
    expect(await runCli(['export-annotations', '--project', project, '--out', out], capture())).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['d1', 'd2', 'd3']);
    expect(lines[1].labels).toEqual(['E11.9', 'I10']);
  });

  it('export-annotations writes Label Studio for a .json --out and Prodigy on request; import --split-field split reads either back', async () => {
    const project = join(dir, 'tools');
    expect(await runCli(['init', '--project', project], capture())).toBe(0);
    const corpus = join(dir, 'tools.jsonl');
    writeFileSync(corpus, '{"id":"d1","text":"Fièvre","labels":["R50.9"],"split":"dev"}\n{"id":"d2","text":"Nothing","labels":[],"split":"test"}\n');
    expect(await runCli(['import', '--project', project, corpus, '--split-field', 'split'], capture())).toBe(0);
    for (const [out, flags, format] of [
      [join(dir, 'tasks.json'), [], 'label-studio'],
      [join(dir, 'prodigy.jsonl'), ['--format', 'prodigy'], 'prodigy'],
    ] as const) {
      const io = capture();
      expect(await runCli(['export-annotations', '--project', project, '--out', out, ...flags, '--json'], io), io.stderr.join('\n')).toBe(0);
      expect(JSON.parse(io.stdout[0]!)).toMatchObject({ documents: 2, assignments: 1 });
      const copy = join(dir, `copy-${format}`);
      expect(await runCli(['init', '--project', copy], capture())).toBe(0);
      const imported = capture();
      expect(await runCli(['import', '--project', copy, out, '--format', format, '--split-field', 'split', '--json'], imported), imported.stderr.join('\n')).toBe(0);
      expect(JSON.parse(imported.stdout[0]!)).toMatchObject({ documents: 2, assignments: 1, format });
      const stats = capture();
      expect(await runCli(['stats', '--project', copy, '--json'], stats)).toBe(0);
      expect(JSON.parse(stats.stdout[0]!).documents).toEqual({ total: 2, dev: 1, test: 1 });
    }
    const bad = capture();
    expect(await runCli(['export-annotations', '--project', project, '--out', join(dir, 'x.jsonl'), '--format', 'brat'], bad)).toBe(2);
    expect(bad.stderr.join('\n')).toContain('use jsonl, csv, prodigy, doccano, label-studio');
  });

  it('fails with one line and exit 1 for a bad file, and imports nothing', async () => {
    const project = join(dir, 'bad');
    await runCli(['init', '--project', project], capture());
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"text": "a"}\n{"text": \n');
    const io = capture();
    expect(await runCli(['import', '--project', project, file], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^planter import: bad\.jsonl line 2: invalid JSON/);
    const stats = capture();
    await runCli(['stats', '--project', project, '--json'], stats);
    expect(JSON.parse(stats.stdout[0]!).documents.total).toBe(0);
  });

  it('exits 1 for an unknown project and 2 for usage errors', async () => {
    const unknown = capture();
    expect(await runCli(['stats', '--project', join(dir, 'nowhere')], unknown)).toBe(1);
    expect(unknown.stderr[0]).toMatch(/^planter stats: no project/);
    const usage = capture();
    expect(await runCli(['stats', '--projekt', 'x'], usage)).toBe(2);
    expect(usage.stderr[0]).toContain('unknown option');
    const missing = capture();
    expect(await runCli(['import', '--project', join(dir, 'bad')], missing)).toBe(2);
    expect(await runCli(['frobnicate'], capture())).toBe(2);
  });
});

describe('planter train/eval/predict refuse bad input with one line', () => {
  let dir: string;
  const previousHome = process.env.PLANTER_HOME;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'planter-cli-train-'));
    process.env.PLANTER_HOME = join(dir, 'home');
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.PLANTER_HOME;
    else process.env.PLANTER_HOME = previousHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('train on a project without labelled documents: exit 1, nothing written', async () => {
    const project = join(dir, 'empty');
    await runCli(['init', '--project', project], capture());
    const file = join(dir, 'unlabelled.jsonl');
    writeFileSync(file, '{"id": "a", "text": "no labels here"}\n');
    await runCli(['import', '--project', project, file, '--id-field', 'id'], capture());
    const io = capture();
    expect(await runCli(['train', '--project', project], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^planter train: no training document carries a label/);
    const runs = capture();
    expect(await runCli(['eval', '--project', project], runs)).toBe(1);
    expect(runs.stderr[0]).toMatch(/no model to evaluate yet/);
  });

  it('train on an unknown project: exit 1', async () => {
    const io = capture();
    expect(await runCli(['train', '--project', join(dir, 'nope')], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/^planter train: no project/);
  });

  it('predict with a damaged or mismatched model bundle: exit 1 with the reason', async () => {
    const bundle = join(dir, 'bundle');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, 'model.onnx'), 'not onnx');
    writeFileSync(join(bundle, 'labels.json'), JSON.stringify({ format: 'planter-labels', version: 1, threshold: 0.5, vocabFingerprint: 'fnv1a64:0000000000000000', vocabSize: 5, labels: [] }));
    writeFileSync(join(bundle, 'vocab.json'), '{"format": "planter-vocabulary"');
    const docs = join(dir, 'docs.jsonl');
    writeFileSync(docs, '{"id": 1, "text": "x"}\n');
    const io = capture();
    expect(await runCli(['predict', '--model', bundle, '--docs', docs], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/^planter predict: model bundle .*vocab\.json is not valid JSON/);
    const usage = capture();
    expect(await runCli(['predict', '--docs', docs], usage)).toBe(2);
  });
});
