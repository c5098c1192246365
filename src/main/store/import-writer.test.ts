import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanterError } from '../../shared/errors';
import { storeCounts, tempProject, type TempProject } from '../importers/fixtures/harness';
import { CorpusStaging, commitCatalogue, commitCorpus, resolveByPrefix, type StagedCatalogueEntry, type StagedDocument } from './import-writer';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.close());

const entry = (code: string, title = `title ${code}`, line = 1, parentCode: string | null = null): StagedCatalogueEntry => ({ line, code, title, synonyms: [], parentCode, kind: 'code' });
const doc = (extId: string, line: number, labels: [string, boolean][] = []): StagedDocument => ({
  line,
  extId,
  text: `text ${extId}`,
  split: 'train',
  metadata: {},
  labels: labels.map(([code, present]) => ({ code, present })),
});

function staging(merge = false): CorpusStaging {
  return new CorpusStaging(join(p.tmpDir, `s-${Math.random().toString(36).slice(2)}.sqlite`), { displayName: 'in.jsonl', idField: 'id', merge });
}

function caught(fn: () => unknown): PlanterError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlanterError);
    return e as PlanterError;
  }
  throw new Error('expected a PlanterError');
}

describe('resolveByPrefix', () => {
  beforeEach(() => {
    commitCatalogue(p.db, [entry('T81'), entry('T81.4', 'Infection following a procedure'), entry('0DB'), entry('X58')], { format: 'labels-csv', fileName: 'cat.csv' });
  });

  it('finds the closest known ancestor, ignoring X placeholders, dots and case', () => {
    expect(resolveByPrefix(p.db, 'T81.4XX')).toEqual({ code: 'T81.4', title: 'Infection following a procedure' });
    expect(resolveByPrefix(p.db, 't81.40')).toMatchObject({ code: 'T81.4' });
    expect(resolveByPrefix(p.db, 'T81.9')).toMatchObject({ code: 'T81' });
    expect(resolveByPrefix(p.db, 'X58.XXX')).toMatchObject({ code: 'X58' });
    expect(resolveByPrefix(p.db, '0DB6')).toMatchObject({ code: '0DB' }); // a 4-axis PCS prefix under its table
  });

  it('returns null when no prefix of at least 3 characters is known, and never the code itself', () => {
    expect(resolveByPrefix(p.db, 'Q99.9')).toBeNull();
    expect(resolveByPrefix(p.db, 'T8')).toBeNull();
    expect(resolveByPrefix(p.db, 'T81')).toBeNull();
  });

  it('skips flagged labels: a missing code is never placed under another missing code', () => {
    p.db.prepare("INSERT INTO labels (code, title, flagged) VALUES ('T81.41', '', 1)").run();
    expect(resolveByPrefix(p.db, 'T81.41X')).toMatchObject({ code: 'T81.4' });
  });
});

describe('CorpusStaging', () => {
  it('detects a duplicate id across flush batches (2,000 per batch), naming both lines', () => {
    const s = staging();
    try {
      for (let i = 1; i <= 2500; i++) s.add(doc(`d${i}`, i));
      const e = caught(() => {
        s.add(doc('d3', 2501));
        s.flush();
      });
      expect(e.message).toBe('in.jsonl line 2501: duplicate id "d3" (first seen on line 3)');
      expect(e.details).toEqual({ file: 'in.jsonl', line: 2501, field: 'id' });
    } finally {
      s.dispose();
    }
    expect(existsSync(s.file)).toBe(false);
  });

  it('in merge mode (Prodigy) records sharing an id become one document, the last mark for a code winning', () => {
    const s = staging(true);
    s.add(doc('h1', 1, [['A', true]]));
    s.add({ ...doc('h1', 2, [['A', false], ['B', true]]), text: 'a different text is ignored' });
    const counts = commitCorpus(p.db, s, { format: 'prodigy', fileName: 'in.jsonl' });
    s.dispose();
    expect(counts).toEqual({ documents: 1, assignments: 2, labelsCreated: 2, labelsFlagged: 2, labelsUpdated: 0 });
    expect(p.db.prepare('SELECT text FROM documents').pluck().all()).toEqual(['text h1']);
    const marks = p.db.prepare('SELECT l.code, a.present FROM assignments a JOIN labels l ON l.id = a.label_id ORDER BY l.code').all();
    expect(marks).toEqual([
      { code: 'A', present: 0 },
      { code: 'B', present: 1 },
    ]);
  });
});

describe('commitCorpus', () => {
  it('refuses ids already in the project, naming the first clashing line, and rolls back', () => {
    const s1 = staging();
    s1.add(doc('keep', 1, [['A', true]]));
    commitCorpus(p.db, s1, { format: 'jsonl', fileName: 'first.jsonl' });
    s1.dispose();
    const before = storeCounts(p.db);

    const s2 = staging();
    s2.add(doc('new', 1, [['NEWCODE', true]]));
    s2.add(doc('keep', 2));
    const e = caught(() => commitCorpus(p.db, s2, { format: 'jsonl', fileName: 'second.jsonl' }));
    s2.dispose();
    expect(e.message).toBe('second.jsonl line 2: document id "keep" already exists in this project');
    expect(storeCounts(p.db)).toEqual(before);
    // The staging database was detached: the project can take the next import.
    expect(p.db.prepare('PRAGMA database_list').all().map((r) => (r as { name: string }).name)).toEqual(['main']);
  });

  it('creates flagged labels under their closest catalogue prefix, with a title saying so', () => {
    commitCatalogue(p.db, [entry('T81.4', 'Infection following a procedure')], { format: 'labels-csv', fileName: 'cat.csv' });
    const s = staging();
    s.add(doc('d', 1, [['T81.4XX', true], ['T81.4', true], ['ZZZ', true]]));
    const counts = commitCorpus(p.db, s, { format: 'jsonl', fileName: 'in.jsonl' });
    s.dispose();
    expect(counts).toMatchObject({ documents: 1, assignments: 3, labelsCreated: 2, labelsFlagged: 2 });
    const rows = p.db.prepare('SELECT code, title, parent_code, flagged FROM labels ORDER BY code').all();
    expect(rows).toEqual([
      { code: 'T81.4', title: 'Infection following a procedure', parent_code: null, flagged: 0 },
      { code: 'T81.4XX', title: 'Infection following a procedure (code not in catalogue)', parent_code: 'T81.4', flagged: 1 },
      { code: 'ZZZ', title: '', parent_code: null, flagged: 1 },
    ]);
  });

  it('a code spelt differently from a catalogue code (case, dots) is assigned to that label, not flagged as its child', () => {
    commitCatalogue(p.db, [entry('E11'), entry('E11.9', 'Type 2 diabetes mellitus without complications')], { format: 'labels-csv', fileName: 'cat.csv' });
    const s = staging();
    s.add(doc('d1', 1, [['e11.9', true]]));
    s.add(doc('d2', 2, [['E119', true], ['E11.9', true]]));
    s.add(doc('d3', 3, [['e11', false]]));
    const counts = commitCorpus(p.db, s, { format: 'jsonl', fileName: 'in.jsonl' });
    s.dispose();
    expect(counts).toMatchObject({ documents: 3, assignments: 3, labelsCreated: 0, labelsFlagged: 0 });
    expect(p.db.prepare('SELECT code FROM labels ORDER BY code').pluck().all()).toEqual(['E11', 'E11.9']);
    const marks = p.db.prepare('SELECT d.ext_id, l.code, a.present FROM assignments a JOIN documents d ON d.id = a.doc_id JOIN labels l ON l.id = a.label_id ORDER BY d.ext_id').all();
    expect(marks).toEqual([
      { ext_id: 'd1', code: 'E11.9', present: 1 },
      { ext_id: 'd2', code: 'E11.9', present: 1 },
      { ext_id: 'd3', code: 'E11', present: 0 },
    ]);
  });

  it('a spelling that matches two catalogue codes stays a flagged label of its own', () => {
    commitCatalogue(p.db, [entry('AB.1'), entry('AB1')], { format: 'labels-csv', fileName: 'cat.csv' });
    const s = staging();
    s.add(doc('d1', 1, [['ab1', true]]));
    expect(commitCorpus(p.db, s, { format: 'jsonl', fileName: 'in.jsonl' })).toMatchObject({ assignments: 1, labelsFlagged: 1 });
    s.dispose();
    expect(p.db.prepare("SELECT flagged FROM labels WHERE code = 'ab1'").pluck().get()).toBe(1);
  });
});

describe('commitCatalogue', () => {
  it('a duplicate of a generated entry (line 0, e.g. a chapter) is reported without a line', () => {
    const e = caught(() => commitCatalogue(p.db, [{ ...entry('CH01'), line: 0 }, entry('CH01', 'x', 7)], { format: 'icd10cm-tsv', fileName: 'cm.tsv' }));
    expect(e.message).toBe('cm.tsv line 7: duplicate code "CH01"');
    expect(e.details).toEqual({ file: 'cm.tsv', line: 7, field: 'code' });
    expect(storeCounts(p.db).labels).toBe(0);
  });

  it('counts created and updated codes and records the import', () => {
    commitCatalogue(p.db, [entry('A'), entry('B')], { format: 'labels-csv', fileName: 'v1.csv' });
    const counts = commitCatalogue(p.db, [entry('B', 'new B'), entry('C')], { format: 'labels-csv', fileName: 'v2.csv' });
    expect(counts).toEqual({ documents: 0, assignments: 0, labelsCreated: 1, labelsFlagged: 0, labelsUpdated: 1, titlesChanged: 1, titleChanges: [{ code: 'B', before: 'title B', after: 'new B' }] });
    expect(p.db.prepare("SELECT kind, format, file_name, labels FROM imports WHERE file_name = 'v2.csv'").get()).toEqual({ kind: 'catalogue', format: 'labels-csv', file_name: 'v2.csv', labels: 2 });
  });
});
