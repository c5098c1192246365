import { describe, expect, it } from 'vitest';
import {
  FLOOR_GRADE,
  GradeTable,
  gradeForRank,
  gradesForRanks,
  gradesFromRanking,
  gradeTableFromMig,
  PAD_GRADE,
  quantileEdges,
  TOP_GRADE,
} from './grades';

describe('quantile edges', () => {
  it('are [0, 1e-4, …, 1], 101 of them, strictly increasing', () => {
    const e = quantileEdges();
    expect(e).toHaveLength(101);
    expect(e[0]).toBe(0);
    expect(e[1]).toBe(1e-4);
    expect(e[100]).toBe(1);
    // e_i = 10^(−4 + 4(i−1)/99): e_2 = 10^(−3.959596) = 1.0974988e-4, e_34 = 10^(−2.666667) = 2.1544347e-3
    expect(e[2]).toBeCloseTo(1.0974987654930556e-4, 18);
    expect(e[34]).toBeCloseTo(2.1544346900318838e-3, 15);
    for (let i = 1; i < 101; i++) expect(e[i]!).toBeGreaterThan(e[i - 1]!);
  });
});

describe('gradeForRank (q = r / (V − 1), right-closed bins, grade = 101 − bin)', () => {
  it('rank 0 → 101 and the last rank → 1', () => {
    expect(gradeForRank(0, 50_000)).toBe(TOP_GRADE);
    expect(gradeForRank(49_999, 50_000)).toBe(FLOOR_GRADE);
  });
  it('boundary ranks with V = 10,001 (q = r / 10,000)', () => {
    expect(gradeForRank(1, 10_001)).toBe(100); // q = 1e-4 = e_1 exactly → bin 1 (right-closed)
    // q = 2e-4: e_8 = 1.918e-4 < q ≤ e_9 = 2.105e-4 → bin 9 → grade 92
    expect(gradeForRank(2, 10_001)).toBe(92);
    // q = 0.01: e_50 = 10^(−2.0202) = 9.545e-3 < q ≤ e_51 = 10^(−1.9798) = 1.0476e-2 → grade 50
    expect(gradeForRank(100, 10_001)).toBe(50);
    // q = 0.9999 > e_99 = 0.9112 → bin 100 → grade 1
    expect(gradeForRank(9_999, 10_001)).toBe(1);
  });
  it('V = 40,000: ranks 1–3 share grade 100 (q ≤ 1e-4), rank 4 drops to 99', () => {
    expect([0, 1, 2, 3, 4].map((r) => gradeForRank(r, 40_000))).toEqual([101, 100, 100, 100, 99]);
  });
  it('tiny vocabularies: V = 1 → 101; V = 2 → 101, 1', () => {
    expect(gradeForRank(0, 1)).toBe(101);
    expect([gradeForRank(0, 2), gradeForRank(1, 2)]).toEqual([101, 1]);
    expect(() => gradeForRank(2, 2)).toThrow(/rank 2/);
  });
  it('gradesForRanks agrees with gradeForRank and never increases', () => {
    for (const v of [1, 2, 3, 7, 100, 10_001, 12_345]) {
      const table = Array.from(gradesForRanks(v));
      expect(table).toEqual(Array.from({ length: v }, (_, r) => gradeForRank(r, v)));
      expect(table.every((g, r) => r === 0 || g <= table[r - 1]!)).toBe(true);
    }
  });
});

describe('sparse grades', () => {
  it('grade ranked positives; drop floor grades; store by token id', () => {
    // V = 3: ranks 0, 1, 2 → q = 0, 0.5, 1 → grades 101, 8, 1 (q = 0.5: e_92 = 0.4751 < 0.5 ≤ e_93 = 0.5214 → bin 93)
    const g = gradesFromRanking(Int32Array.from([2, 0, 1]), 3);
    expect(Array.from(g.tokens)).toEqual([0, 2]);
    expect(Array.from(g.grades)).toEqual([8, 101]);
    expect(g.floor).toBe(FLOOR_GRADE);
  });

  it('gradeOf: listed tokens get their grade, every other token the floor (1)', () => {
    // label 0: positives [5 (J best), 4] of V = 8; label 1: no positives.
    const table = gradeTableFromMig(
      [
        { tokens: Int32Array.from([5, 4]), scores: Float32Array.from([0.9, 0.1]) },
        { tokens: new Int32Array(0), scores: new Float32Array(0) },
      ],
      8,
    );
    // V = 8: rank 1 → q = 1/7 = 0.1429: e_79 = 0.1417 < q ≤ e_80 = 0.1555 → bin 80 → grade 21
    expect(table.gradeOf(0, 5)).toBe(101);
    expect(table.gradeOf(0, 4)).toBe(21);
    expect(table.gradeOf(0, 6)).toBe(1);
    expect(table.gradeOf(1, 5)).toBe(1);
    expect(table.source(0)).toBe('mig');
    expect(table.source(1)).toBe('none');
    expect(() => table.gradeOf(2, 0)).toThrow(/label 2/);
  });

  it('fillGrades writes [B, T, Ls] with 0 at pads and past each row', () => {
    const table = new GradeTable(8, [
      { tokens: Int32Array.from([4, 5]), grades: Uint8Array.from([90, 50]), floor: 1 },
      { tokens: Int32Array.from([6]), grades: Uint8Array.from([101]), floor: 1 },
    ]);
    // labels [1, 0]; rows [[4, 6, 0], [5]] with T = 3
    const out = table.fillGrades([1, 0], [[4, 6, 0], [5]], 3);
    expect(Array.from(out)).toEqual([
      // row 0: t0 = 4 → (l1: 1, l0: 90); t1 = 6 → (101, 1); t2 = pad → (0, 0)
      1, 90, 101, 1, PAD_GRADE, PAD_GRADE,
      // row 1: t0 = 5 → (1, 50); t1, t2 past the end → 0
      1, 50, 0, 0, 0, 0,
    ]);
    // Repeated calls give the same result (the scratch is cleared).
    expect(Array.from(table.fillGrades([1, 0], [[4, 6, 0], [5]], 3))).toEqual(Array.from(out));
    expect(table.fillGrades([0], [[4, 5]]).length).toBe(2); // T defaults to the longest row
  });

  it('fillGrades agrees with gradeOf on random batches', () => {
    const table = gradeTableFromMig(
      [0, 1, 2, 3].map((l) => ({
        tokens: Int32Array.from([10 + l, 3 + l, 20 - l]),
        scores: Float32Array.from([0.5, 0.4, 0.3]),
      })),
      30,
    );
    const rows = [[5, 11, 17, 3], [29, 12, 4], [13, 6, 20, 19, 18]];
    const labels = [3, 1, 2];
    const out = table.fillGrades(labels, rows, 5);
    rows.forEach((row, b) =>
      row.forEach((tok, t) => labels.forEach((l, j) => expect(out[(b * 5 + t) * 3 + j]).toBe(table.gradeOf(l, tok)))),
    );
  });

  it('rejects unsorted or out-of-range token lists and bad batches', () => {
    expect(() => new GradeTable(5, [{ tokens: Int32Array.from([3, 2]), grades: Uint8Array.from([9, 9]), floor: 1 }])).toThrow(/ascending/);
    const table = new GradeTable(5, [{ tokens: Int32Array.from([2]), grades: Uint8Array.from([9]), floor: 1 }]);
    expect(() => table.fillGrades([0], [[7]])).toThrow(/token id 7/);
    expect(() => table.fillGrades([0], [[1, 2, 3]], 2)).toThrow(/T = 2/);
    expect(() => table.setLabel(3, table.label(0), 'mig')).toThrow(/label 3/);
  });
});

describe('fillGrades after a rejected batch', () => {
  it('leaves no stale grades behind', () => {
    const table = new GradeTable(6, [
      { tokens: Int32Array.from([4]), grades: Uint8Array.from([77]), floor: 1 },
      { tokens: Int32Array.from([5]), grades: Uint8Array.from([66]), floor: 1 },
    ]);
    expect(() => table.fillGrades([0, 7], [[4]])).toThrow(/label 7/);
    expect(() => table.fillGrades([0, 1], [[4, 9]])).toThrow(/token id 9/);
    // Same scratch layout (Ls = 2), swapped labels: stale entries would show up as 77/66.
    expect(Array.from(table.fillGrades([1, 0], [[4, 5]]))).toEqual([1, 77, 66, 1]);
  });
});
