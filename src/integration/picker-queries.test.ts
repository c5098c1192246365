import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../main/app/dispatch';
import type { CallContext } from '../main/core/handlers';
import { resourcesDir } from '../main/app/paths';
import { tempServices } from '../main/testing/temp-services';
import { CLINICAL_TERMS } from '../renderer/src/lib/clinical-terms';
import { LabelIndex } from '../renderer/src/lib/label-index';

const cli: CallContext = { transport: 'cli', trusted: true };

// The picker queries of issue #14 against the shipped ICD-10-CM 2018 tables, as the renderer gets
// them (`labels.catalogue` of a real project), before any training counts or project terms.
describe('the label picker on the full ICD-10-CM catalogue', () => {
  let env: ReturnType<typeof tempServices>;
  let index: LabelIndex;
  const top = (q: string, n = 5): string[] => index.search(q, { leafOnly: true, limit: 30 }).items.slice(0, n).map((h) => h.code);

  beforeAll(async () => {
    env = tempServices();
    const h = env.services.handlers;
    await call(h, 'projects.create', { id: 'icd', name: 'ICD' }, cli);
    const { jobId } = await call(h, 'imports.catalogue', { projectId: 'icd', source: { path: join(resourcesDir(), 'demo', 'icd10cm_2018.tsv.gz') }, format: 'icd10cm-tsv' }, cli);
    expect((await env.services.jobs.wait(jobId)).outcome).toBe('done');
    const catalogue = await call(h, 'labels.catalogue', { projectId: 'icd' }, cli);
    index = LabelIndex.fromRows(catalogue.rows, catalogue.version);
  });
  afterAll(async () => env.cleanup());

  it('finds each query of the issue', () => {
    expect(top('heart attack', 1)).toEqual(['I21.9']);
    expect(top('T2DM', 1)).toEqual(['E11.9']);
    expect(top('diabetis')).toEqual(expect.arrayContaining(['E11.9', 'E10.9']));
    expect(top('ventricular hypertrophy', 1)).toEqual(['I51.7']);
    expect(top('E11', 3)).toEqual(['E11.9', 'E11.00', 'E11.01']);
  });

  it('"diabetes" lists diabetes mellitus, general codes first, before diabetes insipidus', () => {
    const all = index.search('diabetes', { leafOnly: true, limit: 200 }).items.map((h) => h.code);
    expect(all.slice(0, 6)).toEqual(expect.arrayContaining(['E10.9', 'E11.9']));
    expect(all.slice(0, 20)).not.toContain('E23.2');
  });

  it('"child abuse" lists every initial encounter before any sequela, and each subsequent encounter after its initial one', () => {
    const hits = index.search('child abuse', { leafOnly: true, limit: 100 }).items.map((h) => h.code);
    const at = (suffix: string): number[] => hits.flatMap((c, k) => (c.endsWith(suffix) ? [k] : []));
    expect(at('A').length).toBeGreaterThan(3);
    expect(Math.max(...at('A'))).toBeLessThan(Math.min(...at('S')));
    for (const c of hits.filter((x) => x.endsWith('D'))) expect(hits.indexOf(`${c.slice(0, -1)}A`)).toBeLessThan(hits.indexOf(c));
  });

  it('shows chapters by name, never "CH04"', () => {
    const hit = index.search('E11.9', { leafOnly: true }).items[0]!;
    expect(hit.path[0]!.display).toBe('Endocrine, nutritional and metabolic diseases');
    expect(index.children(null).every((c) => !c.displayCode.startsWith('CH'))).toBe(true);
  });

  it('every entry of the shipped clinical terms list finds a code in ICD-10-CM', () => {
    const lost = CLINICAL_TERMS.filter(([written]) => index.search(written, { leafOnly: true, limit: 1 }).items[0]?.matchedBy?.kind !== 'abbreviation').map(([w]) => w);
    expect(lost).toEqual([]);
  });
});
