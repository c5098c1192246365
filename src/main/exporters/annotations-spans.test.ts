import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { SpansRepo } from '../store/spans-repo';
import { exportAnnotations } from './annotations';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.close());

describe('annotation export: evidence spans', () => {
  it('JSONL carries each document\'s spans as {label, start, end, text}, offsets in UTF-16 code units', async () => {
    // The emoji is two UTF-16 code units: "dolor" starts at 11, as JavaScript's slice counts.
    const text = 'Paciente 😀 dolor lumbar';
    await p.corpus('jsonl', p.file('docs.jsonl', [JSON.stringify({ id: 'd1', text, labels: ['R52', 'M54.5'] }), JSON.stringify({ id: 'd2', text: 'nada', labels: [] })].join('\n')), { idField: 'id', labelsField: 'labels' });
    const doc = p.store.documents.idByExtId('d1')!;
    const ids = p.store.labels.idsByCode();
    const spans = new SpansRepo(p.db);
    spans.add(doc, ids.get('M54.5')!, 12, 24);
    spans.add(doc, ids.get('R52')!, 12, 17);
    const target = join(p.root, 'out.jsonl');
    exportAnnotations(p.db, target, { format: 'jsonl' });
    const rows = readFileSync(target, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; text: string; spans?: { label: string; start: number; end: number; text: string }[] });
    expect(rows[0]!.spans).toEqual([
      { label: 'R52', start: 12, end: 17, text: 'dolor' },
      { label: 'M54.5', start: 12, end: 24, text: 'dolor lumbar' },
    ]);
    for (const s of rows[0]!.spans!) expect(rows[0]!.text.slice(s.start, s.end)).toBe(s.text);
    expect(rows[1]).not.toHaveProperty('spans'); // a document without spans keeps the old shape
  });
});
