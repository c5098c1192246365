/**
 * Fuzzing every importer (issue #7): structured cases (fast-check records with every JSON type in
 * every field, CSV quoting and delimiters, missing and extra columns) and byte mutations of valid
 * files (flips, cuts, duplicated ranges, quotes, NUL, BOMs, invalid UTF-8, gzip and cut gzip).
 * For each case the import either succeeds with counts that match the store, or is rejected with
 * a PlanterError naming the file (and line and field where it has them) — and then the project is
 * byte-for-byte what it was and no staging file is left. Anything else thrown, or a hang, fails.
 *
 * CI: 70 cases per format with a fixed seed; `npm run test:reliability`: 1,000 per format.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueFormat, CorpusFormat, FieldMapping } from '../../shared/contract';
import type { Db } from '../store/db';
import { ProjectStore } from '../store/project-store';
import { jsonish, judgeRejection, mutatedFileArb, withTimeout } from '../testing/reliability/fuzz';
import { emptyTally, report, seed, size } from '../testing/reliability/tally';
import { FIXTURES } from './fixtures/harness';
import { importCatalogue, importCorpus } from './run-import';

const CASES = size(70, 1000);
const SEED = seed(7_777);
const TIMEOUT_MS = 15_000;

let root: string;
let template: Buffer;
let before: string;
const tally = emptyTally();
const perFormat: Record<string, { accepted: number; rejected: number }> = {};

/** Every table's rows (the FTS index by count), for "the project did not change". */
function dump(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return JSON.stringify(
    tables.map((t) => (/_fts/.test(t) ? [t, db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get()] : [t, db.prepare(`SELECT * FROM "${t}"`).all()])),
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'planter-fuzz-import-'));
  // A project that already holds a catalogue, documents and labels: a rejected import must not touch them.
  const store = ProjectStore.create(join(root, 'template'), 'fuzz template');
  const tmpDir = store.path('tmp');
  writeFileSync(join(root, 'seed-labels.csv'), 'code,title,parent\nA01,Alpha,\nA01.1,Alpha one,A01\nB02,Beta,\n');
  await importCatalogue(store.db, 'labels-csv', { file: join(root, 'seed-labels.csv'), displayName: 'seed-labels.csv', tmpDir });
  writeFileSync(join(root, 'seed.jsonl'), ['1', '2', '3'].map((i) => JSON.stringify({ id: `seed-${i}`, text: `seed document ${i}`, labels: ['A01', 'Z9'] })).join('\n'));
  await importCorpus(store.db, 'jsonl', { textField: 'text', extraTextFields: [], labelSeparator: ';', idField: 'id', labelsField: 'labels' }, { file: join(root, 'seed.jsonl'), displayName: 'seed.jsonl', tmpDir });
  store.db.pragma('journal_mode = DELETE'); // a WAL-mode image cannot be opened in memory
  template = store.db.serialize();
  store.close();
  before = dump(fresh());
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  report('fuzz-importers', { fuzz_cases: tally.fuzz_cases, crashes: tally.crashes, partial_writes: tally.partial_writes }, { seed: SEED, per_format: perFormat });
});

/** A copy of the template project in memory: each case starts from the same state. */
function fresh(): Db {
  const db = new Database(template);
  db.pragma('foreign_keys = ON');
  return db;
}

const MAPPING: FieldMapping = { textField: 'text', extraTextFields: [], labelSeparator: ';', idField: 'id', labelsField: 'labels', splitField: 'split' };
/** The tools' own exports name no split field (the tool importers read one only when asked: Planter's exports of them). */
const { splitField: _noSplitField, ...TOOL_MAPPING } = MAPPING;
const TOOL_FORMATS = new Set(['prodigy', 'doccano', 'label-studio']);
const mappingFor = (name: string): FieldMapping => (TOOL_FORMATS.has(name) ? TOOL_MAPPING : MAPPING);

type Kind = { corpus: CorpusFormat } | { catalogue: CatalogueFormat };

interface Case {
  bytes: Uint8Array;
  mapping: FieldMapping;
  describe: string;
}

/** Runs one case; returns a failure message, or null. */
async function runCase(kind: Kind, c: Case, n: number): Promise<string | null> {
  const name = 'corpus' in kind ? kind.corpus : kind.catalogue;
  const displayName = `upload-${name}.data`;
  const dir = join(root, `case-${name}-${n}`);
  const tmpDir = join(dir, 'tmp');
  const file = join(dir, 'staged-upload.bin');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  writeFileSync(file, c.bytes);
  const db = fresh();
  const stats = (perFormat[name] ??= { accepted: 0, rejected: 0 });
  tally.fuzz_cases++;
  const where = `${name} case ${n} (${c.describe}; ${c.bytes.length} bytes: ${JSON.stringify(Buffer.from(c.bytes.subarray(0, 300)).toString('latin1'))})`;
  try {
    const countsBefore = counts(db);
    try {
      // force: the template's codes read as ICD-10-CM, and the code-system check is not what this fuzzes.
      const options = { file, displayName, tmpDir, force: true };
      const result = await withTimeout('corpus' in kind ? importCorpus(db, kind.corpus, c.mapping, options) : importCatalogue(db, kind.catalogue, options), TIMEOUT_MS, where);
      stats.accepted++;
      const after = counts(db);
      const problems: string[] = [];
      if (after.documents - countsBefore.documents !== result.documents) problems.push(`documents ${countsBefore.documents}→${after.documents}, result says ${result.documents}`);
      if ('corpus' in kind && after.assignments - countsBefore.assignments !== result.assignments) problems.push(`assignments ${countsBefore.assignments}→${after.assignments}, result says ${result.assignments}`);
      // A tool's export of an empty project imports as nothing and leaves the project untouched;
      // any other accepted corpus holds documents and is one more import.
      const empty = 'corpus' in kind && result.documents === 0;
      if (empty && !TOOL_FORMATS.has(name)) problems.push('an accepted corpus with no documents');
      if (empty && dump(db) !== before) problems.push('an empty export changed the project');
      if (!empty && after.imports !== countsBefore.imports + 1) problems.push(`imports ${countsBefore.imports}→${after.imports}`);
      if ((db.pragma('foreign_key_check') as unknown[]).length) problems.push('foreign_key_check fails');
      if (db.prepare("SELECT COUNT(*) FROM labels WHERE code = '' OR code GLOB '*[\u0001-\u001f]*'").pluck().get()) problems.push('a label code that is empty or has control characters');
      if (db.prepare("SELECT COUNT(*) FROM documents WHERE trim(text) = ''").pluck().get()) problems.push('a document with empty text');
      if (problems.length) {
        tally.crashes++;
        return `${where}: accepted, but ${problems.join('; ')}`;
      }
    } catch (e) {
      const verdict = judgeRejection(e, displayName);
      if (verdict.kind === 'crash') {
        tally.crashes++;
        return `${where}: ${verdict.detail}`;
      }
      stats.rejected++;
      if (process.env.FUZZ_DEBUG) console.log(`${name} ${c.describe.slice(0, 20)}: ${verdict.detail.slice(0, 160)}`);
      if (dump(db) !== before) {
        tally.partial_writes++;
        return `${where}: rejected (${verdict.detail}) but the project changed`;
      }
    }
    const left = readdirSync(tmpDir);
    if (left.length) {
      tally.partial_writes++;
      return `${where}: staging files left behind: ${left.join(', ')}`;
    }
    return null;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function counts(db: Db): { documents: number; assignments: number; labels: number; imports: number } {
  const n = (t: string): number => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
  return { documents: n('documents'), assignments: n('assignments'), labels: n('labels'), imports: n('imports') };
}

// ---------- structured generators ----------

const code = fc.oneof(
  fc.constantFrom('A01', 'A01.1', 'B02', 'E11.9', 'e119', 'Z9', 'T81.4XXA', '0DB60ZZ', '100', ' A01 ', ''),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ minLength: 99, maxLength: 103 }),
);
const idValue = fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.nat({ max: 50 }), fc.constantFrom('1', '2', ' ', ''), jsonish);
const textValue = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), fc.constantFrom('', '   ', 'ok text'), jsonish);
const labelsValue = fc.oneof(fc.array(fc.oneof(code, jsonish), { maxLength: 4 }), code.map((c) => `${c};${c}`), fc.string({ maxLength: 20 }), fc.constantFrom('[]', '["A01"]', '[1, 2]', '[broken'), jsonish);
const splitValue = fc.oneof(fc.constantFrom('train', 'dev', 'test', 'pool', 'Train', ' dev ', 'bad split', 'x'.repeat(40)), jsonish);

/** A record that imports, and up to two fields of some rows replaced by anything at all. */
const validRecord = fc.record({
  text: fc.oneof(fc.string({ minLength: 1, maxLength: 60 }).map((t) => `w ${t}`), fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 3 }).map((a) => ['doc', ...a])),
  labels: fc.oneof(fc.array(fc.constantFrom('A01', 'A01.1', 'B02', 'E11.9', 'e119', 'Z9', 'NEW.1'), { maxLength: 3 }), fc.constantFrom('A01;B02', '', 'E11.9')),
  split: fc.constantFrom('train', 'dev', 'test', 'pool', 'Train'),
});
const wildEdits = fc.oneof(
  fc.constant([] as { row: number; field: string; value: unknown }[]),
  fc.array(fc.record({ row: fc.nat({ max: 7 }), field: fc.constantFrom('id', 'text', 'labels', 'split', 'extra'), value: fc.oneof(jsonish, code, idValue, textValue, labelsValue, splitValue) }), { minLength: 1, maxLength: 2 }),
);
const record = fc
  .record({ rows: fc.array(validRecord, { maxLength: 8 }), edits: wildEdits, dropId: fc.nat({ max: 9 }).map((n) => n === 0) })
  .map(({ rows, edits, dropId }) => {
    const out: Record<string, unknown>[] = rows.map((r, i) => ({ id: `r${i}`, ...r }));
    for (const e of edits) if (out.length) out[e.row % out.length]![e.field] = e.value;
    if (dropId && out.length) delete out[0]!.id;
    return out;
  });

function jsonLines(values: unknown[], garbage: string[]): string {
  const lines = values.map((v) => JSON.stringify(v) ?? 'undefined');
  garbage.forEach((g, i) => lines.splice((i * 7) % (lines.length + 1), 0, g));
  return lines.join('\n');
}

const garbageLines = fc.oneof(fc.constant([] as string[]), fc.constant([] as string[]), fc.array(fc.constantFrom('', '   ', '[1,2]', 'null', '{"text": "unterminated', '"just a string"', '{}', '\t'), { maxLength: 2 }));

function csvCellOf(v: unknown, quoteAll: boolean): string {
  const s = typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
  return quoteAll || /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const mappingArb: fc.Arbitrary<FieldMapping> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(MAPPING) },
  { weight: 1, arbitrary: fc.record({
    textField: fc.constantFrom('text', 'body', 'labels'),
    extraTextFields: fc.subarray(['extra', 'title', 'text']),
    labelsField: fc.option(fc.constantFrom('labels', 'extra', 'nope'), { nil: undefined }),
    idField: fc.option(fc.constantFrom('id', 'extra', 'split'), { nil: undefined }),
    splitField: fc.option(fc.constantFrom('split', 'extra'), { nil: undefined }),
    split: fc.option(fc.constantFrom('train', 'pool'), { nil: undefined }),
    labelSeparator: fc.constantFrom(';', ',', '|', ' '),
  }) as fc.Arbitrary<FieldMapping> },
);

const validText = fc.string({ minLength: 1, maxLength: 40 }).map((t) => `text ${t}`);
const validCode = fc.constantFrom('A01', 'A01.1', 'B02', 'E11.9', 'e119', 'Z9', 'NEW.1', 'R05');

/** Valid rows (shaped by `shape`), then up to two fields of some rows replaced by anything at all. */
function rowsWithEdits<T>(row: fc.Arbitrary<T>, fields: string[], shape: (r: T, i: number) => Record<string, unknown> = (r) => ({ ...(r as object) })): fc.Arbitrary<Record<string, unknown>[]> {
  const edits = fc.oneof(
    fc.constant([] as { row: number; field: string; value: unknown }[]),
    fc.array(fc.record({ row: fc.nat({ max: 7 }), field: fc.constantFrom(...fields), value: fc.oneof(jsonish, code, idValue, textValue, labelsValue) }), { minLength: 1, maxLength: 2 }),
  );
  return fc.record({ rows: fc.array(row, { minLength: 0, maxLength: 8 }), edits }).map(({ rows, edits: es }) => {
    const out = rows.map(shape);
    for (const e of es) if (out.length) out[e.row % out.length]![e.field] = e.value;
    return out;
  });
}

const structured: Record<string, fc.Arbitrary<Case>> = {
  jsonl: fc.record({ rows: record, garbage: garbageLines, mapping: mappingArb }).map(({ rows, garbage, mapping }) => ({
    bytes: new Uint8Array(Buffer.from(jsonLines(rows, garbage))),
    mapping,
    describe: 'structured',
  })),
  csv: fc
    .record({
      rows: record,
      columns: fc.oneof(fc.constant(['id', 'text', 'labels', 'split']), fc.constant(['text', 'id', 'extra', 'labels', 'split']), fc.subarray(['id', 'text', 'labels', 'split', 'extra', 'text'], { minLength: 0 })) as fc.Arbitrary<string[]>,
      delimiter: fc.constantFrom(',', '\t', ';'),
      quoteAll: fc.boolean(),
      crlf: fc.boolean(),
      mapping: mappingArb,
    })
    .map(({ rows, columns, delimiter, quoteAll, crlf, mapping }) => {
      const nl = crlf ? '\r\n' : '\n';
      const lines = [columns.join(delimiter), ...rows.map((r) => columns.map((c) => csvCellOf((r as Record<string, unknown>)[c], quoteAll)).join(delimiter))];
      return { bytes: new Uint8Array(Buffer.from(lines.join(nl))), mapping, describe: 'structured' };
    }),
  prodigy: rowsWithEdits(
    fc.oneof(
      fc.record({ text: validText, accept: fc.array(validCode, { maxLength: 3 }), answer: fc.constantFrom('accept', 'reject', 'ignore'), _input_hash: fc.nat({ max: 5 }) }),
      fc.record({ text: validText, label: validCode, answer: fc.constantFrom('accept', 'reject'), _input_hash: fc.nat({ max: 5 }), meta: fc.record({ id: fc.nat({ max: 5 }), source: fc.string({ maxLength: 5 }) }) }),
    ),
    ['text', 'accept', 'label', 'answer', '_input_hash', 'meta', 'options'],
  ).map((rows) => ({ bytes: new Uint8Array(Buffer.from(jsonLines(rows, []))), mapping: TOOL_MAPPING, describe: 'structured' })),
  doccano: rowsWithEdits(
    fc.record({ text: validText, label: fc.array(validCode, { maxLength: 3 }) }),
    ['id', 'text', 'label', 'labels', 'Comments'],
    (r, i) => ({ id: i + 10, ...r }),
  ).map((rows) => ({ bytes: new Uint8Array(Buffer.from(jsonLines(rows, []))), mapping: TOOL_MAPPING, describe: 'structured' })),
  'label-studio': fc
    .oneof(
      { weight: 4, arbitrary: rowsWithEdits(
        fc.record({ text: validText, choices: fc.array(validCode, { maxLength: 3 }), taxonomy: fc.array(fc.array(validCode, { minLength: 1, maxLength: 3 }), { maxLength: 2 }), cancelled: fc.boolean() }),
        ['id', 'data', 'annotations', 'completions'],
        (r, i) => ({ id: i + 100, data: { text: r.text }, annotations: [{ was_cancelled: r.cancelled, result: [{ type: 'choices', value: { choices: r.choices } }, { type: 'taxonomy', value: { taxonomy: r.taxonomy } }] }] }),
      ) },
      { weight: 1, arbitrary: jsonish },
    )
    .map((v) => ({ bytes: new Uint8Array(Buffer.from(JSON.stringify(v) ?? '')), mapping: TOOL_MAPPING, describe: 'structured' })),
  'eurovoc-json': fc
    .oneof(
      { weight: 4, arbitrary: rowsWithEdits(
        fc.record({ label: validText, alt_labels: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }), parent: fc.nat({ max: 8 }) }),
        ['concept_id', 'label', 'alt_labels', 'parents'],
        (r, i) => ({ concept_id: String(100 + i), label: r.label, alt_labels: r.alt_labels, parents: r.parent < i ? [String(100 + r.parent)] : [] }),
      ).map((rows) => Object.fromEntries(rows.map((r, i) => [String((r as { concept_id?: unknown }).concept_id ?? `k${i}`), r]))) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('100', '200', '__proto__', 'constructor', ''), jsonish, { maxKeys: 3 }) },
      { weight: 1, arbitrary: jsonish },
    )
    .map((v) => ({ bytes: new Uint8Array(Buffer.from(JSON.stringify(v) ?? '')), mapping: MAPPING, describe: 'structured' })),
};

function tsvArb(header: string[], validRow: fc.Arbitrary<Record<string, string>>): fc.Arbitrary<Case> {
  return fc
    .record({
      columns: fc.oneof({ weight: 4, arbitrary: fc.constant(header) }, { weight: 1, arbitrary: fc.shuffledSubarray(header) }, { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }) }),
      rows: fc.array(validRow, { maxLength: 8 }),
      edits: fc.oneof(fc.constant([] as { row: number; col: number; value: string }[]), fc.array(fc.record({ row: fc.nat({ max: 7 }), col: fc.nat({ max: 9 }), value: fc.oneof(code, fc.string({ maxLength: 20 }), fc.constantFrom('', '"', 'a\tb')) }), { minLength: 1, maxLength: 2 })),
      width: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) }),
      delimiter: fc.constantFrom('\t', '\t', '\t', ',', ';'),
    })
    .map(({ columns, rows, edits, width, delimiter }) => {
      const cells = rows.map((r) => columns.map((c) => r[c] ?? ''));
      for (const e of edits) if (cells.length) cells[e.row % cells.length]![e.col % Math.max(1, columns.length)] = e.value;
      if (width && cells.length) cells[0] = width > 0 ? [...cells[0]!, ...Array.from({ length: width }, () => 'x')] : cells[0]!.slice(0, width);
      return { bytes: new Uint8Array(Buffer.from([columns.join(delimiter), ...cells.map((r) => r.join(delimiter))].join('\n'))), mapping: MAPPING, describe: 'structured' };
    });
}
const icdCode = fc.tuple(fc.constantFrom('A00', 'A01', 'B02', 'E11', 'E800'), fc.constantFrom('', '.0', '.1', '.9', '.XXA')).map(([a, b]) => a + b);
structured['icd10cm-tsv'] = tsvArb(
  ['code', 'code_dotted', 'billable', 'short_desc', 'long_desc', 'three_digit', 'major', 'sub_chapter', 'chapter'],
  fc.record({ dotted: icdCode, title: validText, block: fc.constantFrom('Block one', 'Block two', ''), chapter: fc.constantFrom('Chapter one', 'Chapter two', '') }).map((r) => ({
    code: r.dotted.replace('.', ''), code_dotted: r.dotted, billable: 'True', short_desc: r.title.slice(0, 10), long_desc: r.title, three_digit: r.dotted.slice(0, 3), major: 'm', sub_chapter: r.block, chapter: r.chapter,
  })),
);
structured['icd10pcs-tsv'] = tsvArb(['code', 'billable', 'short_desc', 'long_desc'], fc.record({ code: fc.constantFrom('0DB', '0DB60ZZ', '0DB68ZZ', '0DT', '0DTJ4ZZ'), title: validText }).map((r) => ({ code: r.code, billable: '1', short_desc: r.title, long_desc: r.title })));
structured['labels-csv'] = tsvArb(['code', 'title', 'parent', 'synonyms'], fc.record({ code: validCode, title: validText, parent: fc.constantFrom('', 'A01', 'B02'), synonyms: fc.constantFrom('', 'one;two', ' ; ') }));

// ---------- seeds for mutation ----------

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const validJsonl = text(
  [
    { id: 'a', text: 'Fever and cough', labels: ['R50.9', 'R05'], split: 'train' },
    { id: 'b', text: 'Type 2 diabetes', labels: 'E11.9;I10', split: 'dev' },
    { id: 'c', text: ['Part one', 'part two'], labels: [], split: 'pool' },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n'),
);
const SEEDS: Record<string, Uint8Array[]> = {
  jsonl: [validJsonl],
  csv: [text('id,text,labels,split\na,"Fever, cough",R50.9;R05,train\nb,"She said ""no""\nnext line",E11.9,dev\r\nc,plain,,pool\n')],
  prodigy: [fixture('prodigy.jsonl')],
  doccano: [fixture('doccano.jsonl')],
  'label-studio': [fixture('label-studio.json')],
  'eurovoc-json': [fixture('eurovoc.json')],
  'icd10cm-tsv': [fixture('icd10cm-sample.tsv'), fixture('icd9cm-sample.tsv')],
  'icd10pcs-tsv': [fixture('icd10pcs-sample.tsv')],
  'labels-csv': [text('code,title,parent,synonyms\nA01,Alpha,,first;one\nA01.1,"Alpha, one",A01,\nB02,Beta,,\n')],
};

const FORMATS: Kind[] = [
  { corpus: 'jsonl' },
  { corpus: 'csv' },
  { corpus: 'prodigy' },
  { corpus: 'doccano' },
  { corpus: 'label-studio' },
  { catalogue: 'icd10cm-tsv' },
  { catalogue: 'icd10pcs-tsv' },
  { catalogue: 'eurovoc-json' },
  { catalogue: 'labels-csv' },
];

describe('importers under fuzzing', () => {
  it('seeds are valid files (so mutations start from something that imports)', async () => {
    for (const kind of FORMATS) {
      const name = 'corpus' in kind ? kind.corpus : kind.catalogue;
      for (const bytes of SEEDS[name]!) {
        const dir = mkdtempSync(join(root, 'seed-'));
        writeFileSync(join(dir, 'f'), bytes);
        const db = fresh();
        const options = { file: join(dir, 'f'), displayName: 'f', tmpDir: join(dir, 'tmp'), force: true };
        await expect('corpus' in kind ? importCorpus(db, kind.corpus, mappingFor(name), options) : importCatalogue(db, kind.catalogue, options), name).resolves.toBeTruthy();
        db.close();
      }
    }
  });

  it('regressions the fuzzer found stay fixed', async () => {
    // Label Studio task ids that are objects became "[object Object]" (in ids and messages).
    const dir = mkdtempSync(join(root, 'regression-'));
    writeFileSync(join(dir, 'ls.json'), JSON.stringify([{ id: { nested: 1 }, data: { text: 'a' }, annotations: [] }]));
    const db = fresh();
    const error = await importCorpus(db, 'label-studio', MAPPING, { file: join(dir, 'ls.json'), displayName: 'ls.json', tmpDir: join(dir, 'tmp') }).catch((e: unknown) => e);
    db.close();
    expect(judgeRejection(error, 'ls.json')).toEqual({ kind: 'rejected', detail: 'bad-file: ls.json: task 1: "id" must be a string or a number, found an object' });
    // An ICD three_digit with a control character became part of a block's code ("a\tb-A00").
    const tsv = ['code\tcode_dotted\tlong_desc\tthree_digit\tsub_chapter\tchapter', 'A001\tA00.1\tCholera\ta\u0001b\tBlock\tChapter'].join('\n');
    writeFileSync(join(dir, 'icd.tsv'), tsv);
    const db2 = fresh();
    const icd = await importCatalogue(db2, 'icd10cm-tsv', { file: join(dir, 'icd.tsv'), displayName: 'icd.tsv', tmpDir: join(dir, 'tmp') }).catch((e: unknown) => e);
    db2.close();
    expect(judgeRejection(icd, 'icd.tsv')).toEqual({ kind: 'rejected', detail: 'bad-file: icd.tsv line 2: field "three_digit" contains control characters' });
  });

  for (const kind of FORMATS) {
    const name = 'corpus' in kind ? kind.corpus : kind.catalogue;
    it(`${name}: ${CASES} cases, each accepted whole or rejected by name with nothing written`, { timeout: 60_000 + CASES * 400 }, async () => {
      const formatSeed = SEED + FORMATS.indexOf(kind) * 1000;
      const half = Math.ceil(CASES / 2);
      const cases: Case[] = [
        ...fc.sample(structured[name]!, { numRuns: half, seed: formatSeed }),
        ...fc.sample(mutatedFileArb(SEEDS[name]!), { numRuns: CASES - half, seed: formatSeed + 1 }).map((m) => ({ bytes: m.bytes, mapping: mappingFor(name), describe: m.describe })),
      ];
      const failures: string[] = [];
      for (let i = 0; i < cases.length; i++) {
        const failure = await runCase(kind, cases[i]!, i);
        if (failure && failures.length < 5) failures.push(failure);
      }
      expect(failures).toEqual([]);
    });
  }
});
