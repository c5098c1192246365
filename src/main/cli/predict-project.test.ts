// `planter predict --project` goes through the contract (`models.predict`): it must print what the
// same model prints from its exported bundle, evidence included.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticCorpus, TEST_SETTINGS } from '../plant/pipeline/testing/synthetic';
import type { CliIo } from './io';
import { runCli } from './run';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false };
}

describe('planter predict --project', () => {
  let dir: string;
  const previousHome = process.env.PLANTER_HOME;
  let project: string;
  let docs: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'planter-predict-'));
    process.env.PLANTER_HOME = join(dir, 'home');
    project = join(dir, 'synth');
    const corpus = syntheticCorpus({ labels: 4, train: 48, dev: 24, seed: 8 });
    const rows = [
      ...corpus.train.map((d, i) => ({ id: `t${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'train' })),
      ...[...corpus.tuning, ...corpus.evaluation].map((d, i) => ({ id: `d${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'dev' })),
    ];
    writeFileSync(join(dir, 'corpus.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, epochs: { pretrain: 1, l2r: 1, finetune: 2 } }));
    docs = join(dir, 'docs.jsonl');
    writeFileSync(docs, rows.slice(0, 5).map((r) => JSON.stringify({ id: r.id, text: r.text })).join('\n'));
    for (const argv of [
      ['init', '--project', project],
      ['import', '--project', project, join(dir, 'corpus.jsonl'), '--id-field', 'id', '--labels-field', 'labels', '--split-field', 'split'],
      ['train', '--project', project, '--settings', join(dir, 'settings.json'), '--json'],
      ['export', '--project', project, '--out', join(dir, 'bundle')],
    ]) {
      const io = capture();
      expect(await runCli(argv, io), `${argv[0]}: ${io.stderr.join('\n')}`).toBe(0);
    }
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.PLANTER_HOME;
    else process.env.PLANTER_HOME = previousHome;
    rmSync(dir, { recursive: true, force: true });
  });

  const predict = async (...argv: string[]): Promise<{ id: string; labels: { label: string; score: number; evidence?: unknown[] }[]; assigned: string[] }[]> => {
    const io = capture();
    expect(await runCli(['predict', ...argv, docs], io), io.stderr.join('\n')).toBe(0);
    return io.stdout.map((l) => JSON.parse(l));
  };

  it('prints the top labels of each document, as the exported bundle of the same model does', async () => {
    const fromProject = await predict('--project', project, '--top', '3');
    expect(fromProject.map((p) => p.id)).toEqual(readFileSync(docs, 'utf8').split('\n').map((l) => JSON.parse(l).id));
    for (const p of fromProject) {
      expect(p.labels).toHaveLength(3);
      expect(p.labels.map((l) => l.score)).toEqual([...p.labels.map((l) => l.score)].sort((a, b) => b - a));
      expect(p.assigned.every((code) => p.labels.some((l) => l.label === code))).toBe(true);
    }
    const fromBundle = await predict('--model', join(dir, 'bundle'), '--top', '3');
    expect(fromProject.map((p) => p.labels.map((l) => l.label))).toEqual(fromBundle.map((p) => p.labels.map((l) => l.label)));
    fromProject.forEach((p, i) => p.labels.forEach((l, j) => expect(l.score).toBeCloseTo(fromBundle[i]!.labels[j]!.score, 4)));
  });

  it('--explain adds readable evidence to each label', async () => {
    const explained = await predict('--project', project, '--top', '2', '--explain');
    expect(explained.flatMap((p) => p.labels).every((l) => Array.isArray(l.evidence))).toBe(true);
    expect(explained.flatMap((p) => p.labels.flatMap((l) => l.evidence ?? [])).length).toBeGreaterThan(0);
  });

  it('a project without a model is refused before any document is read', async () => {
    const empty = join(dir, 'empty');
    expect(await runCli(['init', '--project', empty], capture())).toBe(0);
    const io = capture();
    expect(await runCli(['predict', '--project', empty, join(dir, 'no-such-file.jsonl')], io)).toBe(1);
    expect(io.stderr).toEqual(['planter predict: the project has no trained model yet: run planter train first']);
  });
});
