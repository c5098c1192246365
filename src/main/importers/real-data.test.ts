/**
 * Imports the real ICD-10-CM 2018 table and the CodiEsp train split from ../shared/data (beside the
 * repository) and checks the counts documented in ../shared/data/codiesp/README.md. Skipped, with
 * the reason printed, where the data folder is absent.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCounts, tempProject, type TempProject } from './fixtures/harness';

const DATA = resolve(fileURLToPath(import.meta.url), '../../../../../shared/data');
const ICD10CM = resolve(DATA, 'icd-codes/icd10cm_2018.tsv.gz');
const CODIESP_TRAIN = resolve(DATA, 'codiesp/train.jsonl.gz');
const missing = [ICD10CM, CODIESP_TRAIN].filter((f) => !existsSync(f));
if (missing.length) console.warn(`real-data.test.ts skipped: missing ${missing.join(', ')}`);

describe.skipIf(missing.length > 0)('real data: ICD-10-CM 2018 + CodiEsp train', () => {
  let p: TempProject;
  beforeAll(() => {
    p = tempProject();
  });
  afterAll(() => p?.close());

  it('imports the ICD-10-CM 2018 table: 94,127 codes plus its chapters and blocks', async () => {
    const r = await p.catalogue('icd10cm-tsv', ICD10CM);
    const codes = p.db.prepare("SELECT COUNT(*) FROM labels WHERE kind = 'code'").pluck().get();
    expect(codes).toBe(94_127);
    expect(r.labelsCreated).toBe(storeCounts(p.db).labels);
    const chapters = p.db.prepare("SELECT COUNT(*) FROM labels WHERE code GLOB 'CH[0-9][0-9]'").pluck().get();
    expect(chapters).toBe(21);
    expect(p.db.prepare("SELECT title, parent_code FROM labels WHERE code = 'A00-A09'").get()).toEqual({ title: 'Intestinal Infectious Diseases', parent_code: 'CH01' });
    expect(p.db.prepare("SELECT parent_code FROM labels WHERE code = 'E11.65'").pluck().get()).toBe('E11.6');
    expect(p.db.prepare("SELECT parent_code FROM labels WHERE code = 'E11'").pluck().get()).toBe('E08-E13');
    // Every parent the importer wrote exists.
    const dangling = p.db.prepare('SELECT COUNT(*) FROM labels c WHERE c.parent_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM labels p WHERE p.code = c.parent_code)').pluck().get();
    expect(dangling).toBe(0);
    expect(p.db.prepare('SELECT COUNT(*) FROM labels WHERE parent_code = code').pluck().get()).toBe(0);
  });

  it('imports CodiEsp train (text_en, labels_diagnosis): 500 docs, 5,639 pairs, 1,767 labels; X-padded codes are flagged under a prefix', async () => {
    const catalogue = storeCounts(p.db).labels;
    const r = await p.corpus('jsonl', CODIESP_TRAIN, { textField: 'text_en', labelsField: 'labels_diagnosis', idField: 'id', split: 'train' });
    expect(r).toMatchObject({ documents: 500, assignments: 5639 });
    const distinct = p.db.prepare('SELECT COUNT(DISTINCT label_id) FROM assignments').pluck().get();
    expect(distinct).toBe(1767);
    // The 50 train codes that ICD-10-CM 2018 lacks are all X-padded ("T81.4XX"): each is created, flagged, and placed.
    expect(r.labelsFlagged).toBe(50);
    expect(storeCounts(p.db)).toMatchObject({ labels: catalogue + 50, flagged: 50 });
    expect(p.db.prepare("SELECT title, parent_code, flagged FROM labels WHERE code = 'T81.4XX'").get()).toEqual({
      title: 'Infection following a procedure (code not in catalogue)',
      parent_code: 'T81.4',
      flagged: 1,
    });
    const unplaced = p.db.prepare('SELECT COUNT(*) FROM labels WHERE flagged = 1 AND parent_code IS NULL').pluck().get();
    expect(unplaced).toBe(0);
    const topCode = p.db.prepare('SELECT l.code FROM assignments a JOIN labels l ON l.id = a.label_id GROUP BY l.id ORDER BY COUNT(*) DESC LIMIT 1').pluck().get();
    expect(topCode).toBe('R52'); // "max 112, R52" in the README
    const meta = JSON.parse(p.db.prepare('SELECT metadata FROM documents LIMIT 1').pluck().get() as string) as Record<string, unknown>;
    expect(Object.keys(meta)).toEqual([]); // text_es is over 500 characters, lists are never metadata
  });
});
