import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cover, insertTop, matchedSeeds, sortedHas } from '../queue-keywords';
import { bestRare, fuse, maxOf, migBlend, mix32, OrderedList, rankBy, rankInSlices, rarity, shuffleKey } from './ranking';

describe('rarity and the MIG blend (hand-computed)', () => {
  it('1 / (1 + n/4) and n / (n + 2)', () => {
    expect([0, 1, 4, 5].map(rarity)).toEqual([1, 0.8, 0.5, 1 / 2.25]);
    expect([1, 2, 5].map(migBlend)).toEqual([1 / 3, 0.5, 5 / 7]);
  });
});

describe('bestRare', () => {
  it('takes evidence × rarity over labels with ≤ 5 training documents, skipping frequent ones', () => {
    const counts = new Map([
      [1, 0],
      [2, 4],
      [3, 9],
    ]);
    const r = bestRare(
      [
        { label: 3, evidence: 10 }, // 9 training docs: not rare
        { label: 2, evidence: 3 }, // 3 × 0.5 = 1.5
        { label: 1, evidence: 1.2 }, // 1.2 × 1 = 1.2
      ],
      (l) => counts.get(l)!,
    );
    expect(r).toEqual({ score: 1.5, index: 1 });
    expect(bestRare([{ label: 3, evidence: 10 }], (l) => counts.get(l)!)).toEqual({ score: 0, index: -1 });
  });
});

describe('rankBy, maxOf, fuse', () => {
  it('orders by score, ties by id, and drops unscored documents', () => {
    expect(rankBy([5, 3, 9, 1], (id) => (id === 9 ? null : id === 1 ? 2 : 1))).toEqual({ ids: [1, 3, 5], scores: [2, 1, 1] });
  });

  it('maxOf handles 300,000 values (Math.max(...xs) throws RangeError there)', () => {
    const xs = new Float64Array(300_000).map((_, i) => i % 1000);
    expect(() => Math.max(...xs)).toThrow(RangeError);
    expect(maxOf(xs)).toBe(999);
    expect(maxOf([], 1e-12)).toBe(1e-12);
  });

  it('fuse divides each side by its scale and keeps the larger, saying which side won', () => {
    const a = { ids: [1, 2, 3], scores: [4, 2, 1] }; // / 4 → 1, 0.5, 0.25
    const b = { ids: [3, 2], scores: [0.9, 0.1] }; // / 0.9 → 1, 0.111
    const f = fuse(a, b);
    expect(f.ids).toEqual([1, 3, 2]);
    expect(f.scores[0]).toBe(1);
    expect(f.scores[1]).toBeCloseTo(1);
    expect(f.scores[2]).toBe(0.5);
    expect([...f.fromB]).toEqual([3]);
    // Fixed scales (what a cache keeps): 2 → 1, 1 → 0.5 on a; 0.9 / 0.45 = 2 wins on b.
    expect(fuse({ ids: [1], scores: [2] }, { ids: [1], scores: [0.9] }, 2, 0.45).scores).toEqual([2]);
  });

  it('fuses 250,000 documents without spreading them into Math.max', () => {
    const n = 250_000;
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    const f = fuse({ ids, scores: ids.map((i) => i % 97) }, { ids, scores: ids.map((i) => (i % 89) / 1000) });
    expect(f.ids).toHaveLength(n);
  });
});

describe('rankInSlices', () => {
  it('gives the order rankBy gives (many ties, unscored documents, more than one run) and lets other work run meanwhile', async () => {
    const ids = Array.from({ length: 70_000 }, (_, i) => 70_000 - i);
    const score = (id: number): number | null => (id % 11 === 0 ? null : (id * 7919) % 13);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const sliced = await rankInSlices(ids, score, 0);
    clearInterval(ticker);
    expect(sliced).toEqual(rankBy(ids, score));
    expect(turns).toBeGreaterThan(2);
  });

  it('with ids in ascending order and mostly zero scores, still the order rankBy gives (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.double({ min: 0.5, max: 1, noNaN: true }), async (seed, zeroShare) => {
        let x = seed;
        const r = (): number => (x = (x * 48271) % 2147483647) / 2147483647;
        const ids = Array.from({ length: 40_000 }, (_, i) => 3 * i + 1 + Math.floor(r() * 3));
        const scores = new Map(ids.map((id) => [id, r() < zeroShare ? 0 : r() < 0.1 ? null : Math.round((r() - 0.2) * 50) / 10]));
        const score = (id: number): number | null => scores.get(id)!;
        expect(await rankInSlices(ids, score, 0)).toEqual(rankBy(ids, score));
      }),
      { numRuns: 8 },
    );
  });
});

describe('the seeded shuffle', () => {
  it('mix32 maps distinct 32-bit inputs to distinct 32-bit outputs', () => {
    const inputs = [...Array.from({ length: 1 << 16 }, (_, i) => i), 0x7fffffff, 0x80000000, 0xffffffff];
    const outputs = inputs.map(mix32);
    expect(new Set(outputs).size).toBe(inputs.length);
    expect(outputs.filter((out) => !Number.isInteger(out) || out < 0 || out > 0xffffffff)).toEqual([]);
  });

  it('shuffleKey orders documents without ties, the same way whatever order they come in, and otherwise under another seed', () => {
    const ids = Array.from({ length: 500 }, (_, i) => i + 1);
    const order = (docs: number[], seed: number) => [...docs].sort((a, b) => shuffleKey(b, seed) - shuffleKey(a, seed));
    expect(new Set(ids.map((id) => shuffleKey(id, 1))).size).toBe(ids.length);
    expect(order([...ids].reverse(), 1)).toEqual(order(ids, 1));
    expect(order(ids, 2)).not.toEqual(order(ids, 1));
    expect(order(ids, 1)).not.toEqual(ids);
  });
});

describe('OrderedList', () => {
  it('updates one document at a time and stays equal to a full re-rank (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 6 }))), { maxLength: 80 }),
        (updates) => {
          const truth = new Map<number, number>();
          const list = new OrderedList({ ids: [], scores: [] });
          for (const [id, score] of updates) {
            list.set(id, score);
            if (score === null) truth.delete(id);
            else truth.set(id, score);
          }
          const expected = rankBy([...truth.keys()], (id) => truth.get(id)!);
          expect(list.page(0, 1000)).toEqual(expected);
          expect(list.length).toBe(truth.size);
        },
      ),
      { seed: 15, numRuns: 200 },
    );
  });

  it('setMany equals one set per update, in order, from any starting order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 6 })), { maxLength: 60 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 80 }), fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 6 }))), { maxLength: 80 }),
        (start, updates) => {
          const first = new Map(start);
          const ranked = rankBy([...first.keys()], (id) => first.get(id)!);
          const one = new OrderedList(ranked);
          for (const [id, score] of updates) one.set(id, score);
          const many = new OrderedList(ranked);
          many.setMany(updates);
          expect(many.page(0, 1000)).toEqual(one.page(0, 1000));
          expect(many.length).toBe(one.length);
          for (const [id] of updates) expect(many.scoreOf(id)).toBe(one.scoreOf(id));
        },
      ),
      { seed: 16, numRuns: 300 },
    );
  });

  it('build fills the same list in slices', async () => {
    const ranked = rankBy(Array.from({ length: 57 }, (_, i) => i + 1), (id) => (id * 7) % 11);
    const built = await OrderedList.build(ranked, 5);
    const plain = new OrderedList(ranked);
    expect(built.ids()).toEqual(plain.ids());
    for (let id = 0; id <= 58; id++) {
      expect(built.has(id)).toBe(plain.has(id));
      expect(built.scoreOf(id)).toBe(plain.scoreOf(id));
    }
  });

  it('pages from the order and removes by id', () => {
    const list = new OrderedList(rankBy([1, 2, 3, 4], (id) => 10 - id));
    expect(list.page(1, 2)).toEqual({ ids: [2, 3], scores: [8, 7] });
    list.remove(2);
    list.remove(99);
    expect(list.ids()).toEqual([1, 3, 4]);
    expect(list.has(2)).toBe(false);
    expect(list.scoreOf(3)).toBe(7);
  });
});

describe('keyword maths', () => {
  const postings = new Map([
    [10, Int32Array.of(0, 1, 2)],
    [11, Int32Array.of(1)],
    [12, Int32Array.of(2, 3)],
  ]);
  const get = (t: number): Int32Array => postings.get(t) ?? new Int32Array(0);

  it('cover: coverage = matched seed weight / total, kept at ≥ minCoverage (hand-computed)', () => {
    const seeds = [
      { token: 10, weight: 1 },
      { token: 11, weight: 2 },
      { token: 12, weight: 1 },
    ];
    const hits: [number, number, number][] = [];
    cover(seeds, get, null, 0.5, new Float64Array(4), (d, c, w) => hits.push([d, c, w]));
    hits.sort((a, b) => a[0] - b[0]);
    // doc 1: 1 + 2 = 3 of 4 → 0.75; doc 2: 1 + 1 = 2 of 4 → 0.5; docs 0 and 3: 1 of 4.
    expect(hits).toEqual([
      [1, 0.75, 3],
      [2, 0.5, 2],
    ]);
    const only2: number[] = [];
    cover(seeds, get, Uint8Array.of(0, 0, 1, 0), 0, new Float64Array(4), (d) => only2.push(d));
    expect(only2).toEqual([2]);
  });

  it('cover and matchedSeeds take any number of seeds (a 32-bit mask stopped at 31)', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ token: 100 + i, weight: 1 }));
    const tokensOfDoc = Int32Array.from({ length: 40 }, (_, i) => 100 + i);
    const hits: number[] = [];
    cover(many, () => Int32Array.of(0), null, 1, new Float64Array(1), (_d, c) => hits.push(c));
    expect(hits).toEqual([1]);
    expect(matchedSeeds(many, (t) => sortedHas(tokensOfDoc, t)).map((s) => s.token)).toEqual(many.map((s) => s.token));
    expect(matchedSeeds(many, (t) => t === 139).map((s) => s.token)).toEqual([139]);
  });

  it('insertTop keeps the k largest, largest first', () => {
    const labels = new Int32Array(3).fill(-1);
    const values = new Float32Array(3);
    for (const [l, v] of [
      [1, 0.5],
      [2, 0.9],
      [3, 0.1],
      [4, 0.7],
    ] as const)
      insertTop(labels, values, 0, 3, l, v);
    expect([...labels]).toEqual([2, 4, 1]);
    expect([...values].map((v) => Math.round(v * 10) / 10)).toEqual([0.9, 0.7, 0.5]);
  });

  it('sortedHas is a binary search', () => {
    const xs = Int32Array.of(1, 4, 9, 12);
    expect([0, 1, 4, 5, 12, 13].map((x) => sortedHas(xs, x))).toEqual([false, true, true, false, true, false]);
  });
});
