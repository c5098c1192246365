import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolOf } from './detect-format';
import { expectBadFile, FIXTURES, storeCounts, tempProject, type TempProject } from './fixtures/harness';

describe('toolOf', () => {
  it('tells Prodigy and doccano records from generic JSON Lines', () => {
    expect(toolOf({ text: 'a', accept: ['X'], answer: 'accept', _input_hash: 1 })).toBe('prodigy');
    expect(toolOf({ text: 'a', label: 'X', answer: 'reject' })).toBe('prodigy');
    expect(toolOf({ id: 1, text: 'a', label: ['X'] })).toBe('doccano');
    expect(toolOf({ id: 1, text: 'a', labels: ['X'] })).toBe('doccano');
    expect(toolOf({ id: 1, text: 'a', labels_diagnosis: ['X'] })).toBeNull();
    expect(toolOf({ id: 1, text: 'a', label: 'X' })).toBeNull();
  });
});

describe('corpus format detection (issue #14: Prodigy and doccano files imported 0 labels as JSONL)', () => {
  let p: TempProject;
  // The tools' exports under plain .jsonl names, as they are usually saved.
  const file = (fixture: string, name: string): string => {
    const path = join(p.root, name);
    copyFileSync(join(FIXTURES, fixture), path);
    return path;
  };
  beforeAll(() => (p = tempProject()));
  afterAll(() => p.close());

  it('auto reads a Prodigy export as Prodigy, with its accepted and rejected labels', async () => {
    const r = await p.corpus('auto', file('prodigy.jsonl', 'annotations.jsonl'));
    expect(r.format).toBe('prodigy');
    expect(r.assignments).toBeGreaterThan(0);
    expect(p.db.prepare('SELECT COUNT(*) FROM assignments WHERE present = 0').pluck().get()).toBeGreaterThan(0);
  });

  it('auto reads a doccano export as doccano', async () => {
    const r = await p.corpus('auto', file('doccano.jsonl', 'export.jsonl'));
    expect(r).toMatchObject({ format: 'doccano', documents: 4, assignments: 4 });
  });

  it('auto keeps generic JSON Lines generic, and CSV by its name', async () => {
    const jsonl = p.file('plain.jsonl', `${JSON.stringify({ id: 'g1', text: 'x', codes: ['A'] })}\n`);
    expect(await p.corpus('auto', jsonl, { idField: 'id', labelsField: 'codes' })).toMatchObject({ format: 'jsonl', assignments: 1 });
    const csv = p.file('plain.csv', 'id,text\nc1,x\n');
    expect(await p.corpus('auto', csv, { idField: 'id' })).toMatchObject({ format: 'csv', documents: 1 });
  });

  it('refuses a tool export read as generic JSONL, naming the format to choose, and imports nothing', async () => {
    const before = storeCounts(p.db);
    await expectBadFile(p.corpus('jsonl', file('prodigy.jsonl', 'prodigy-as-jsonl.jsonl')), {
      file: 'prodigy-as-jsonl.jsonl',
      message: /looks like a Prodigy export .* choose the format "prodigy", or name the field that holds the labels/,
    });
    await expectBadFile(p.corpus('jsonl', file('doccano.jsonl', 'doccano-as-jsonl.jsonl')), { file: 'doccano-as-jsonl.jsonl', message: /looks like a doccano export .*choose the format "doccano"/ });
    expect(storeCounts(p.db)).toEqual(before);
    // With its labels field named, a doccano-shaped file is generic JSONL on purpose.
    const r = await p.corpus('jsonl', file('doccano.jsonl', 'doccano-mapped.jsonl'), { labelsField: 'label' });
    expect(r).toMatchObject({ format: 'jsonl' });
  });
});
