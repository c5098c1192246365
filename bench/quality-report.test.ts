import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../src/shared/contract';
import { evaluateScores, tuningP5 } from './quality-eval';
import { fastTextText, oneLine } from './quality-peers';
import { CellResult } from './quality-plan';
import { machineLines, renderCell, renderQualitySection, replaceSection, tableProblems } from './quality-report';

const metrics = (x: number): EvalReport => {
  const set = { 'p@1': x, 'p@3': x, 'p@5': x, 'ndcg@1': x, 'ndcg@3': x, 'ndcg@5': x, 'psp@1': x, 'psp@3': x, 'psp@5': x, micro_f1: x, macro_f1: x, macro_auc: null };
  return { ...set, buckets: { zero: { ...set, labels: 0 }, few: { ...set, labels: 7 }, mid: { ...set, labels: 3 }, head: { ...set, labels: 1 } } };
};
const system = (x: number) => ({ metrics: metrics(x), train_s: 12.5, infer_s: 0.4, search_s: 30, threshold: 0.3, config: { C: 1, features: 10, trained_labels: 5, epoch: 5, lr: 0.5, wordNgrams: 2 }, finished_at: '2025-01-01T00:00:00Z' });
const cell = CellResult.parse({
  dataset: 'eurlex57k',
  train_size: 250,
  corpus: { train: 250, unlabelled: 5000, tuning: 2990, evaluation: 3010, labels: 2700 },
  machine: 'test machine',
  command: 'npm run bench:quality',
  systems: { planter: { ...system(0.5), peak_rss_mb: 812 }, plant: system(0.42), lant: system(0.4), fasttext: system(0.45) },
});

describe('quality report', () => {
  it('renders one row per system, bolds the best and leaves a missing system as dashes', () => {
    const md = renderCell(cell, { tfidf_linear: 'not installed' });
    const rows = md.split('\n').filter((l) => /^\| (\*\*)?Planter|^\| fastText|^\| TF-IDF/.test(l));
    expect(rows).toHaveLength(7);
    expect(rows[0]).toContain('**50.0**');
    expect(rows[0]).toMatch(/\| 812 \|$/);
    expect(rows[1]).toMatch(/^\| Planter fused with LANT[^|]*\|( – \|){13}$/);
    expect(rows[6]).toMatch(/^\| TF-IDF[^|]*\|( – \|){13}$/);
    expect(md).toContain('skipped — not installed');
    expect(md).toContain('7 few-shot labels');
    expect(tableProblems(md)).toEqual([]);
  });

  it('names the machine of each row from the run records, one line when all ran on one', () => {
    const run = (trained: string[], machine: string) => ({ command: 'npm run bench:quality', started_at: '2025-01-01T00:00:00Z', wall_s: 1, trained, machine });
    expect(machineLines([cell], [])).toEqual(['Machine: test machine.', '']);
    expect(machineLines([cell], [run(['eurlex57k-250/planter', 'eurlex57k-250/plant', 'eurlex57k-250/lant', 'eurlex57k-250/fasttext'], 'A')])).toEqual(['Machine: A.', '']);
    // a later run re-trains two rows elsewhere: both machines are named with their rows
    const lines = machineLines([cell], [run(['eurlex57k-250/planter', 'eurlex57k-250/plant', 'eurlex57k-250/lant', 'eurlex57k-250/fasttext'], 'A'), run(['eurlex57k-250/planter', 'eurlex57k-250/plant'], 'B')]);
    expect(lines).toContain('- A: eurlex57k-250 (lant, fasttext)');
    expect(lines).toContain('- B: eurlex57k-250 (planter, plant)');
  });

  it('finds ragged rows and NaN in tables', () => {
    expect(tableProblems('| a | b |\n|---|---|\n| 1 |\n| NaN | 2 |')).toHaveLength(2);
  });

  it('replaces only its own section and keeps the others', () => {
    const doc = '# Benchmarks\n\n## Engine\n\nengine text\n\n## Quality\n\nstale body\n\n\n## UI\n\nui text\n';
    const section = renderQualitySection({ cells: [cell], runs: [], notes: '### Findings\n\nnotes', command: 'npm run bench:quality', plot: 'data-efficiency.png' });
    const out = replaceSection(doc, section);
    expect(out).toContain('## Engine\n\nengine text\n\n## Quality\n');
    expect(out).not.toContain('stale body');
    expect(out).toContain('notes\n\n## UI\n\nui text\n');
    expect(out).toContain('![P@5 and few-shot macro-F1');
    expect(replaceSection(out, section)).toBe(out);
    expect(replaceSection('', section)).toMatch(/^# Benchmarks\n\n## Quality\n/);
  });
});

describe('quality scoring', () => {
  const corpus = {
    labels: [0, 1, 2].map((i) => ({ code: `c${i}`, title: '', synonyms: [] })),
    train: [{ text: 'a', labels: [0] }, { text: 'b', labels: [0, 1] }],
    unlabelled: [],
    tuning: [{ text: 'x', labels: [0] }, { text: 'y', labels: [1] }],
    evaluation: [{ text: 'z', labels: [1, 2] }],
  };

  it('tunes the threshold on the tuning half and reports on the evaluation half', () => {
    const tuning = [Float32Array.of(0.9, 0.2, 0.1), Float32Array.of(0.3, 0.8, 0.1)];
    const scored = evaluateScores(corpus, tuning, [Float32Array.of(0.1, 0.85, 0.7)]);
    expect(scored.threshold).toBeCloseTo(0.55, 6); // halfway between the cut 0.8 and the next tuning score 0.3
    expect(scored.report['p@1']).toBe(1);
    expect(scored.report.micro_f1).toBe(1); // 0.85 and 0.7 pass, 0.1 does not
    expect(scored.report.buckets.zero.labels).toBe(1);
    expect(tuningP5(corpus, tuning)).toBeCloseTo(0.2, 10);
  });

  it('rejects score rows that do not match the halves', () => {
    expect(() => evaluateScores(corpus, [], [])).toThrow(/score rows/);
  });

  it('gives the peers one line of the same text', () => {
    expect(oneLine(' a\n\tb  c ')).toBe('a b c');
    expect(oneLine('\n')).toBe('_empty_');
    expect(fastTextText('Heart (I50.9), acute.')).toBe('heart ( i50 . 9 ) , acute .');
  });
});
