import { describe, expect, it } from 'vitest';
import { buildIndexData, codeKey, fold, LabelIndex, transferables } from './label-index';

// id, code, parent, kind, flagged, title, synonyms… (the `labels.catalogue` row format)
const ROWS = [
  [1, 'CH04', '', 'g', '', 'Endocrine, nutritional and metabolic diseases'],
  [2, 'E08-E13', 'CH04', 'g', '', 'Diabetes mellitus'],
  [3, 'E11', 'E08-E13', 'c', '', 'Type 2 diabetes mellitus'],
  [4, 'E11.9', 'E11', 'c', '', 'Type 2 diabetes mellitus without complications', 'Type 2 diabetes w/o complications'],
  [5, 'E11.65', 'E11', 'c', '', 'Type 2 diabetes mellitus with hyperglycemia'],
  [6, 'E10.9', 'E08-E13', 'c', '', 'Type 1 diabetes mellitus without complications'],
  [7, 'H81.0', '', 'c', '', 'Ménière’s disease', 'Endolymphatic hydrops'],
  [8, 'I10', '', 'c', '', 'Essential (primary) hypertension'],
  [9, 'X99.9', '', 'c', '1', 'Flagged code from a corpus'],
]
  .map((r) => r.join('\t'))
  .join('\n');

const codes = (r: { items: { code: string }[] }): string[] => r.items.map((i) => i.code);

describe('LabelIndex', () => {
  const index = LabelIndex.fromRows(ROWS, 'v1');

  it('normalises codes and text the way coders type', () => {
    expect(codeKey('e11.9')).toBe('E119');
    expect(codeKey('E11 9')).toBe('E119');
    expect(fold('Ménière’s')).toBe('meniere’s');
  });

  it('finds a code by its key, exact first, then the prefix in hierarchy order (the general code first)', () => {
    expect(codes(index.search('e119'))).toEqual(['E11.9']);
    expect(codes(index.search('E11'))).toEqual(['E11', 'E11.9', 'E11.65']);
    expect(index.search('E11').total).toBe(3);
  });

  it('prefix-matches every query word (AND), titles over synonyms, whole words and shorter titles first', () => {
    const dm = codes(index.search('diab mell'));
    // The general codes (without complications, in code order) first, then the block "Diabetes
    // mellitus" (it starts with the first word and is shortest), the shorter title E11, the specific E11.65.
    expect(dm).toEqual(['E10.9', 'E11.9', 'E08-E13', 'E11', 'E11.65']);
    const r = index.search('diabetes without');
    expect(codes(r).sort()).toEqual(['E10.9', 'E11.9']);
    expect(index.search('hyperglyc').items.map((i) => i.code)).toEqual(['E11.65']);
    expect(index.search('zzz').total).toBe(0);
    expect(index.search('   ').items).toEqual([]);
  });

  it('matches synonyms and reports which one; folds diacritics', () => {
    const hydrops = index.search('hydrops');
    expect(codes(hydrops)).toEqual(['H81.0']);
    expect(hydrops.items[0]!.matchedSynonym).toBe('Endolymphatic hydrops');
    expect(codes(index.search('meniere'))).toEqual(['H81.0']);
    expect(index.search('meniere').items[0]!.matchedSynonym).toBeNull();
  });

  it('leaf-only leaves out categories and codes with children', () => {
    expect(codes(index.search('diabetes', { leafOnly: true })).sort()).toEqual(['E10.9', 'E11.65', 'E11.9']);
    expect(codes(index.search('E11', { leafOnly: true }))).toEqual(['E11.9', 'E11.65']);
  });

  it('gives the full path and walks the hierarchy in code order', () => {
    const hit = index.get(4)!;
    expect(hit.path.map((p) => p.code)).toEqual(['CH04', 'E08-E13', 'E11']);
    expect(hit.leaf).toBe(true);
    expect(index.children(null).map((h) => h.code)).toEqual(['CH04', 'H81.0', 'I10', 'X99.9']);
    expect(index.children(2).map((h) => [h.code, h.childCount])).toEqual([
      ['E10.9', 0],
      ['E11', 2],
    ]);
    expect(index.get(9)!.flagged).toBe(true);
  });

  it('ranks labels already used in training a little higher and reports their counts', () => {
    const before = codes(index.search('type 2 diabetes with'));
    index.setTrainCounts([5, 12]);
    expect(index.get(5)!.trainCount).toBe(12);
    expect(codes(index.search('type 2 diabetes with'))[0]).toBe('E11.65');
    expect(before).toContain('E11.65');
    index.setTrainCounts([]);
  });

  it('limits the list but counts every match', () => {
    const r = index.search('diabetes', { limit: 2 });
    expect(r.items).toHaveLength(2);
    expect(r.total).toBe(5);
  });
});

describe('LabelIndexData', () => {
  it('survives the trip from the worker (structured clone, typed arrays transferred) unchanged', () => {
    const data = buildIndexData(ROWS, 'v2');
    const copy = structuredClone(data, { transfer: transferables(data) });
    expect(data.ids.length).toBe(0); // transferred away, as postMessage does
    const index = new LabelIndex(copy);
    expect(index.version).toBe('v2');
    expect(index.search('hydrops').items.map((i) => i.code)).toEqual(['H81.0']);
    expect(index.get(4)!.path.map((p) => p.code)).toEqual(['CH04', 'E08-E13', 'E11']);
  });
});
