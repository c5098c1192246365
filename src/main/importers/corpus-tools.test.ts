import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, expectBadFile, expectNoStagingLeft, storeCounts, tempProject, type TempProject } from './fixtures/harness';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.close());

const fixture = (name: string): string => p.file(name, readFileSync(join(FIXTURES, name)));

/** ext_id → { present codes, rejected codes }, both sorted. */
function marks(): Record<string, { present: string[]; rejected: string[] }> {
  const out: Record<string, { present: string[]; rejected: string[] }> = {};
  for (const extId of p.db.prepare('SELECT ext_id FROM documents ORDER BY id').pluck().all() as string[]) out[extId] = { present: [], rejected: [] };
  const rows = p.db
    .prepare('SELECT d.ext_id, l.code, a.present FROM assignments a JOIN documents d ON d.id = a.doc_id JOIN labels l ON l.id = a.label_id ORDER BY l.code')
    .all() as { ext_id: string; code: string; present: number }[];
  for (const r of rows) out[r.ext_id]![r.present ? 'present' : 'rejected'].push(r.code);
  return out;
}

describe('Prodigy', () => {
  it('choice "accept" lists become labels; binary label+answer become present/rejected; lines merge by _input_hash', async () => {
    const result = await p.corpus('prodigy', fixture('prodigy.jsonl'));
    expect(result.documents).toBe(3);
    expect(marks()).toEqual({
      '101': { present: ['R05', 'R50.9'], rejected: [] },
      '202': { present: ['R07.9'], rejected: ['I20.9'] }, // the "ignore" answer adds nothing
      '303': { present: [], rejected: [] }, // a rejected choice task's options are not labels
    });
    const doc = p.db.prepare("SELECT text, split, metadata FROM documents WHERE ext_id = '101'").get();
    expect(doc).toEqual({ text: 'Fever and dry cough for three days.', split: 'train', metadata: '{"source":"ward 3"}' });
    expect(result.assignments).toBe(4); // rejections are stored too
  });

  it('meta.id wins over _input_hash, and --split applies to the whole file', async () => {
    const file = p.file('ids.jsonl', `${JSON.stringify({ text: 'a', accept: ['X1'], answer: 'accept', _input_hash: 1, meta: { id: 'case-1' } })}\n`);
    await p.corpus('prodigy', file, { split: 'pool' });
    expect(p.db.prepare('SELECT ext_id, split FROM documents').get()).toEqual({ ext_id: 'case-1', split: 'pool' });
  });

  it('an answer other than accept/reject/ignore is a bad file naming the line and the field', async () => {
    const file = p.file('answer.jsonl', `${JSON.stringify({ text: 'a', label: 'X', answer: 'accept', _input_hash: 1 })}\n${JSON.stringify({ text: 'b', label: 'X', answer: 'maybe', _input_hash: 2 })}\n`);
    await expectBadFile(p.corpus('prodigy', file), { file: 'answer.jsonl', line: 2, field: 'answer', message: /must be "accept", "reject" or "ignore", found the text "maybe"/ });
    expect(storeCounts(p.db).documents).toBe(0);
  });
});

describe('doccano', () => {
  it('reads "label" lists (and the older "labels" key) as labels', async () => {
    await p.corpus('doccano', fixture('doccano.jsonl'));
    expect(marks()).toEqual({
      '1': { present: ['E11.9'], rejected: [] },
      '2': { present: ['E11.9', 'I10'], rejected: [] },
      '3': { present: [], rejected: [] },
      '4': { present: ['R52'], rejected: [] },
    });
  });

  it('span annotations ([start, end, label]) are rejected with a clear error and nothing is imported', async () => {
    const file = p.file('spans.jsonl', `${JSON.stringify({ id: 1, text: 'ok', label: ['A'] })}\n${JSON.stringify({ id: 2, text: 'Diabetes here', label: [[0, 8, 'DISEASE']] })}\n`);
    await expectBadFile(p.corpus('doccano', file), {
      file: 'spans.jsonl',
      line: 2,
      field: 'label',
      message: /holds span annotations \(\[start, end, label\]\); export a text-classification project instead/,
    });
    expect(storeCounts(p.db)).toMatchObject({ documents: 0, labels: 0, imports: 0 });
    expectNoStagingLeft(p);
  });
});

describe('Label Studio', () => {
  it('reads choices and taxonomy leaves, ignores cancelled annotations, and finds text under another data key', async () => {
    const result = await p.corpus('label-studio', fixture('label-studio.json'));
    expect(result.documents).toBe(3);
    expect(marks()).toEqual({
      '11': { present: ['R05', 'R50.9'], rejected: [] },
      '12': { present: ['E11.9', 'I10'], rejected: [] }, // R52 came from a cancelled annotation
      '13': { present: [], rejected: [] },
    });
    const rows = p.db.prepare('SELECT ext_id, text, metadata FROM documents ORDER BY id').all();
    expect(rows).toEqual([
      { ext_id: '11', text: 'Fever and cough.', metadata: '{"ward":"A"}' },
      { ext_id: '12', text: 'Diabetic patient with high blood pressure.', metadata: '{}' },
      { ext_id: '13', text: 'The text sits under another key.', metadata: '{}' },
    ]);
  });

  it('a truncated export says the file looks truncated', async () => {
    const json = readFileSync(join(FIXTURES, 'label-studio.json'), 'utf8');
    const file = p.file('ls-cut.json', json.slice(0, Math.floor(json.length * 0.6)));
    await expectBadFile(p.corpus('label-studio', file), { file: 'ls-cut.json', line: undefined, message: /invalid JSON: .*\(the file looks truncated\)/ });
  });

  it('a JSON object instead of the task array is refused, naming what was found', async () => {
    await expectBadFile(p.corpus('label-studio', p.file('ls-obj.json', '{"data": {"text": "x"}}')), {
      file: 'ls-obj.json',
      message: /expected a JSON array of tasks \(Label Studio's JSON export\), found an object/,
    });
  });

  it('a task without text names the task number and its id', async () => {
    const file = p.file('ls-notext.json', JSON.stringify([{ id: 1, data: { text: 'a' } }, { id: 77, data: { n: 3 } }]));
    await expectBadFile(p.corpus('label-studio', file), { file: 'ls-notext.json', field: 'data.text', message: /task 2 \(id 77\): has no text in "data"/ });
  });
});
