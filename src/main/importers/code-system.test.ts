import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanterError } from '../../shared/errors';
import { codeSystemOf } from './code-system';
import { FIXTURES, storeCounts, tempProject, type TempProject } from './fixtures/harness';

describe('codeSystemOf', () => {
  it('tells the ICD systems apart by their codes, nine in ten deciding', () => {
    expect(codeSystemOf(['001', '001.0', '250.00', 'V01.1', 'E800', 'E800.0'])).toBe('icd9cm');
    expect(codeSystemOf(['A00', 'A00.0', 'E11.9', 'T81.4XXA', 'I10', 'R52'])).toBe('icd10cm');
    expect(codeSystemOf(['0DB', '0DB60ZZ', '0DTJ4ZZ'])).toBe('icd10pcs');
    expect(codeSystemOf(['cardio-1', 'cardio-2', 'E11.9'])).toBe('custom');
    expect(codeSystemOf(['E11.9', 'I10', 'X99-local'].concat(Array.from({ length: 10 }, (_, i) => `A0${i}`)))).toBe('icd10cm');
    expect(codeSystemOf([])).toBeNull();
  });
});

// Issue #14: `planter labels icd9cm_v32.tsv.gz` into an ICD-10 project silently added 17,686
// ICD-9 codes and overwrote 44 titles.
describe('a catalogue of another code system', () => {
  let p: TempProject;
  beforeAll(async () => {
    p = tempProject();
    await p.catalogue('icd10cm-tsv', join(FIXTURES, 'icd10cm-sample.tsv'));
  });
  afterAll(() => p.close());

  it('is refused, saying what it would add and rename, and nothing changes', async () => {
    const before = storeCounts(p.db);
    const err = (await p.catalogue('icd10cm-tsv', join(FIXTURES, 'icd9cm-sample.tsv')).catch((e: unknown) => e)) as PlanterError;
    expect(err).toBeInstanceOf(PlanterError);
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/^icd9cm-sample\.tsv holds ICD-9-CM but this project's catalogue is ICD-10-CM: importing it would add \d+ labels and change [1-9]\d* titles\. Nothing was imported/);
    expect(storeCounts(p.db)).toEqual(before);
  });

  it('is imported when forced, and the titles it replaced are counted and named', async () => {
    const chapter = p.db.prepare("SELECT title FROM labels WHERE code = 'CH01'").pluck().get() as string;
    const r = await p.catalogue('icd10cm-tsv', join(FIXTURES, 'icd9cm-sample.tsv'), { force: true });
    expect(r.labelsCreated).toBeGreaterThan(0);
    expect(r.titlesChanged).toBeGreaterThan(0);
    expect(r.titleChanges).toContainEqual({ code: 'CH01', before: chapter, after: 'Infectious And Parasitic Diseases' });
  });

  it('the same system again (a newer edition) needs no force and says which titles changed', async () => {
    const q = tempProject();
    try {
      await q.catalogue('icd10cm-tsv', join(FIXTURES, 'icd10cm-sample.tsv'));
      const next = readFileSync(join(FIXTURES, 'icd10cm-sample.tsv'), 'utf8').replace('\tEssential (primary) hypertension\tI10\t', '\tEssential hypertension\tI10\t');
      const renamed = q.file('icd10cm-next.tsv', next);
      const r = await q.catalogue('icd10cm-tsv', renamed);
      expect(r.titlesChanged).toBe(1);
      expect(r.titleChanges).toEqual([{ code: 'I10', before: 'Essential (primary) hypertension', after: 'Essential hypertension' }]);
    } finally {
      q.close();
    }
  });
});
