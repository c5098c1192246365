import { describe, expect, it } from 'vitest';
import { CLINICAL_TERMS, rewrites, rewriteTable } from './clinical-terms';
import { variantOf, words } from './label-index-data';
import { LabelIndex } from './label-index';
import { isStopWord } from '../../../shared/text/stop-words';

// id, code, parent, kind, flagged, title, synonyms… (the `labels.catalogue` row format): a slice of
// ICD-10-CM with the cases of issue #14.
const ROWS = [
  [1, 'CH04', '', 'g', '', 'Endocrine, nutritional and metabolic diseases'],
  [2, 'E08-E13', 'CH04', 'g', '', 'Diabetes mellitus'],
  [3, 'E11', 'E08-E13', 'c', '', 'Type 2 diabetes mellitus'],
  [4, 'E11.0', 'E11', 'c', '', 'Type 2 diabetes mellitus with hyperosmolarity'],
  [5, 'E11.00', 'E11.0', 'c', '', 'Type 2 diabetes mellitus with hyperosmolarity without nonketotic hyperglycemic-hyperosmolar coma (NKHHC)'],
  [6, 'E11.01', 'E11.0', 'c', '', 'Type 2 diabetes mellitus with hyperosmolarity with coma'],
  [7, 'E11.8', 'E11', 'c', '', 'Type 2 diabetes mellitus with unspecified complications'],
  [8, 'E11.9', 'E11', 'c', '', 'Type 2 diabetes mellitus without complications'],
  [9, 'E20-E35', 'CH04', 'g', '', 'Disorders of other endocrine glands'],
  [10, 'E23', 'E20-E35', 'c', '', 'Hypofunction and other disorders of the pituitary gland'],
  [11, 'E23.2', 'E23', 'c', '', 'Diabetes insipidus'],
  [12, 'CH09', '', 'g', '', 'Diseases of the circulatory system'],
  [13, 'I20-I25', 'CH09', 'g', '', 'Ischemic heart diseases'],
  [14, 'I21', 'I20-I25', 'c', '', 'Acute myocardial infarction'],
  [15, 'I21.3', 'I21', 'c', '', 'ST elevation (STEMI) myocardial infarction of unspecified site'],
  [16, 'I21.9', 'I21', 'c', '', 'Acute myocardial infarction, unspecified'],
  [17, 'I30-I52', 'CH09', 'g', '', 'Other forms of heart disease'],
  [18, 'I51', 'I30-I52', 'c', '', 'Complications and ill-defined descriptions of heart disease'],
  [19, 'I51.7', 'I51', 'c', '', 'Cardiomegaly'],
  [20, 'CH19', '', 'g', '', 'Injury, poisoning and certain other consequences of external causes'],
  [21, 'T66-T78', 'CH19', 'g', '', 'Other and unspecified effects of external causes'],
  [22, 'T74', 'T66-T78', 'c', '', 'Adult and child abuse, neglect and other maltreatment, confirmed'],
  [23, 'T74.12', 'T74', 'c', '', 'Child physical abuse, confirmed'],
  [24, 'T74.12XA', 'T74.12', 'c', '', 'Child physical abuse, confirmed, initial encounter'],
  [25, 'T74.12XD', 'T74.12', 'c', '', 'Child physical abuse, confirmed, subsequent encounter'],
  [26, 'T74.12XS', 'T74.12', 'c', '', 'Child physical abuse, confirmed, sequela'],
  [27, 'I50.9', 'I30-I52', 'c', '', 'Heart failure, unspecified'],
  // ICD-10-CM has about 450 diabetes mellitus codes against 2 diabetes insipidus codes: stand-ins.
  ...Array.from({ length: 120 }, (_, k) => [100 + k, `E11.6${String(k).padStart(3, '0')}`, 'E11', 'c', '', `Type 2 diabetes mellitus with other specified complication ${k}`]),
]
  .map((r) => r.join('\t'))
  .join('\n');

const codes = (r: { items: { code: string }[] }): string[] => r.items.map((i) => i.code);
const leaf = { leafOnly: true } as const;

describe('the label picker knows how coders write (issue #14)', () => {
  const index = LabelIndex.fromRows(ROWS);

  it('"E11" lists its codes in numeric order, the general code (E11.9) first, E11.8 in its place', () => {
    const all = codes(index.search('E11', { leafOnly: true, limit: 200 }));
    expect(all.slice(0, 4)).toEqual(['E11.9', 'E11.00', 'E11.01', 'E11.6000']);
    expect(all.at(-1)).toBe('E11.8');
    expect(codes(index.search('E11', { limit: 5 }))).toEqual(['E11', 'E11.9', 'E11.0', 'E11.00', 'E11.01']);
  });

  it('"child abuse" lists the initial encounter before the subsequent one and the sequela', () => {
    expect(codes(index.search('child abuse', leaf))).toEqual(['T74.12XA', 'T74.12XD', 'T74.12XS']);
    expect(codes(index.search('T74.12', leaf))).toEqual(['T74.12XA', 'T74.12XD', 'T74.12XS']);
  });

  it('"diabetes" ranks the common concept (diabetes mellitus, its general code first) above diabetes insipidus', () => {
    const r = codes(index.search('diabetes', { leafOnly: true, limit: 200 }));
    expect(r[0]).toBe('E11.9');
    expect(r.indexOf('E23.2')).toBeGreaterThan(r.indexOf('E11.9'));
    // Coders' use weighs in too: with training documents, insipidus can still come first.
    index.setTrainCounts([11, 200]);
    expect(codes(index.search('diabetes', leaf))[0]).toBe('E23.2');
    index.setTrainCounts([]);
  });

  it('tolerates typos in words of 5+ letters: one edit up to 7 letters, two from 8, a swap counts once', () => {
    expect(codes(index.search('diabetis', leaf))).toContain('E11.9');
    expect(codes(index.search('diabtes mellitus', leaf))).toContain('E11.9');
    expect(codes(index.search('cardiomegally', leaf))).toEqual(['I51.7']); // one "l" too many
    expect(codes(index.search('myocardail infraction', leaf))).toContain('I21.9'); // a swap in each word
    const hit = index.search('diabetis', leaf).items.find((h) => h.code === 'E11.9')!;
    expect(hit.matchedBy).toEqual({ kind: 'spelling', text: 'diabetis → diabetes' });
    // Short words must be typed right: "coma" is 4 letters, "cona" finds nothing.
    expect(index.search('cona', leaf).total).toBe(0);
    // A word that exists as typed is not "corrected".
    expect(index.search('diabetes', leaf).items.every((h) => h.matchedBy === null)).toBe(true);
  });

  it('reads abbreviations and phrasings of the shipped list as catalogue words', () => {
    expect(codes(index.search('T2DM', leaf))[0]).toBe('E11.9');
    expect(index.search('t2dm', leaf).items[0]!.matchedBy).toEqual({ kind: 'abbreviation', text: 'T2DM → type 2 diabetes mellitus' });
    expect(codes(index.search('heart attack', leaf))[0]).toBe('I21.9');
    expect(codes(index.search('MI', leaf))).toEqual(expect.arrayContaining(['I21.9', 'I21.3']));
    expect(codes(index.search('ventricular hypertrophy', leaf))).toEqual(['I51.7']);
    expect(codes(index.search('CHF', leaf))).toEqual(['I50.9']);
  });

  it("finds labels by the words of the project's documents assigned to them", () => {
    expect(index.search('crushing chest', leaf).total).toBe(0);
    index.setProjectTerms([
      { labelId: 16, terms: ['crushing chest pain', 'troponin', 'heart attack'] },
      { labelId: 999, terms: ['not in the catalogue'] },
    ]);
    const r = index.search('crushing chest', leaf);
    expect(codes(r)).toEqual(['I21.9']);
    expect(r.items[0]!.matchedBy).toEqual({ kind: 'project', text: 'crushing chest pain' });
    // A term word and a title word together (AND across sources).
    expect(codes(index.search('troponin acute', leaf))).toEqual(['I21.9']);
    expect(index.projectTermsOf(16)).toEqual(['crushing chest pain', 'troponin', 'heart attack']);
    index.setProjectTerms([]);
    expect(index.search('troponin', leaf).total).toBe(0);
  });

  it('shows chapters by name and code range instead of "CH04"', () => {
    const hit = index.get(8)!;
    expect(hit.path.map((p) => p.display)).toEqual(['Endocrine, nutritional and metabolic diseases', 'E08-E13', 'E11']);
    expect(index.children(null).map((h) => [h.code, h.displayCode])).toEqual([
      ['CH04', 'E08–E35'],
      ['CH09', 'I20–I52'],
      ['CH19', 'T66–T78'],
    ]);
    expect(index.get(8)!.displayCode).toBe('E11.9');
  });
});

describe('variantOf', () => {
  it("reads ICD-10-CM's conventions from the title", () => {
    expect(variantOf('E11.9', 'Type 2 diabetes mellitus without complications')).toBe('general');
    expect(variantOf('I21.9', 'Acute myocardial infarction, unspecified')).toBe('general');
    expect(variantOf('E11.8', 'Type 2 diabetes mellitus with unspecified complications')).toBe('other');
    expect(variantOf('R10.9', 'Unspecified abdominal pain')).toBe('general');
    expect(variantOf('J18.9', 'Pneumonia, unspecified organism')).toBe('general');
    expect(variantOf('E11.3219', 'Type 2 diabetes mellitus with mild nonproliferative diabetic retinopathy with macular edema, unspecified eye')).toBe('other');
    expect(variantOf('E11.319', 'Type 2 diabetes mellitus with unspecified diabetic retinopathy without macular edema')).toBe('other');
    expect(variantOf('T74.12XA', 'Child physical abuse, confirmed, initial encounter')).toBe('initial');
    expect(variantOf('T74.12XD', 'Child physical abuse, confirmed, subsequent encounter')).toBe('subsequent');
    expect(variantOf('T74.12XS', 'Child physical abuse, confirmed, sequela')).toBe('sequela');
  });
});

describe('the clinical terms list', () => {
  const table = rewriteTable(words);

  it('has no entry that is an English function word or listed twice', () => {
    const written = CLINICAL_TERMS.map(([w]) => w.toLowerCase());
    expect(written.filter((w) => isStopWord(w))).toEqual([]);
    expect(new Set(written).size).toBe(written.length);
  });

  it('rewrites a run of whole query words, longest runs first', () => {
    expect(rewrites(['t2dm', 'retinopathy'], table).map((r) => r.terms)).toEqual([['type', '2', 'diabetes', 'mellitus', 'retinopathy']]);
    expect(rewrites(['acute', 'heart', 'attack'], table).map((r) => r.terms)).toEqual([['acute', 'myocardial', 'infarction']]);
    expect(rewrites(['heart', 'att'], table)).toEqual([]); // whole words only
    expect(rewrites(['hypertension'], table)).toEqual([]);
  });
});
