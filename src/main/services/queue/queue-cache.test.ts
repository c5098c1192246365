/**
 * The queue's ranking cache and keyword build (issue #15): pages come from a kept order, writes
 * move single documents, and an order kept current that way equals one ranked from scratch.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Method, Output } from '../../../shared/contract';
import { resourcesDir } from '../../app/paths';
import { createServices, type Services } from '../../app/services';
import { dispatch } from '../../app/dispatch';
import type { CallContext } from '../../core/handlers';
import { tempProject } from '../../importers/fixtures/harness';
import { QueueRepo } from '../../store/queue-repo';
import { tempServices } from '../../testing/temp-services';
import { KeywordBuild, type KeywordSource } from './keyword-build';
import type { Ranker } from './ranker';
import { RankingCache } from './ranking-cache';
import { rankBy } from './ranking';

const http: CallContext = { transport: 'http', trusted: false };

async function call<M extends Method>(services: Services, method: M, input: unknown): Promise<Output<M>> {
  const reply = await dispatch(services.handlers, method, input, http);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as Output<M>;
}

const WORDS = ['brucellosis', 'brucella', 'ductus', 'arteriosus', 'hypertension', 'mcburney', 'rebound', 'appendicitis', 'fever', 'cough', 'asthma', 'wheeze', 'fracture', 'femur', 'patient', 'with', 'and'];

describe('the ranking cache keeps orders current a document at a time', () => {
  let env: ReturnType<typeof tempServices>;
  const docs: number[] = [];
  const labels: number[] = [];

  beforeAll(async () => {
    env = tempServices();
    await call(env.services, 'projects.create', { id: 'c', name: 'Cache' });
    const db = env.services.projects.get('c').db;
    const titles = ['Brucellosis', 'Patent ductus arteriosus', 'Essential hypertension', 'Acute appendicitis', 'Asthma with wheeze', 'Fracture of femur'];
    titles.forEach((t, i) => labels.push(Number(db.prepare('INSERT INTO labels (code, title) VALUES (?, ?)').run(`L${i}`, t).lastInsertRowid)));
    let x = 7;
    const r = (): number => ((x = (x * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 60; i++) {
      const text = Array.from({ length: 12 }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
      const split = i < 15 ? 'train' : 'pool';
      const id = Number(db.prepare('INSERT INTO documents (ext_id, text, split) VALUES (?, ?, ?)').run(`d${i}`, text, split).lastInsertRowid);
      docs.push(id);
      if (split === 'train') db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, 1, 'imported', 'now')").run(id, labels[i % labels.length]);
    }
  });
  afterAll(async () => env.cleanup());

  it('after any writes, every page equals the page a fresh process ranks from scratch (property)', async () => {
    const orders = [
      { strategy: 'rare-first' },
      { strategy: 'random', seed: 3 },
      { strategy: 'search', query: 'fever' },
      { strategy: 'rare-first', statuses: ['pending', 'done'] },
      { strategy: 'by-label', labelId: 0 },
      { strategy: 'similar', docId: 0 },
    ];
    const page = (services: Services, o: Record<string, unknown>): Promise<Output<'queue.next'>> =>
      call(services, 'queue.next', { projectId: 'c', limit: 100, ...o, ...(o.labelId === 0 ? { labelId: labels[1] } : {}), ...(o.docId === 0 ? { docId: docs[20] } : {}) });
    const strip = (r: Output<'queue.next'>): unknown => ({ total: r.total, items: r.items.map((i) => [i.docId, i.status, i.score, i.reason]) });
    for (const o of orders) await page(env.services, o); // ranked once, then kept
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('add', 'reject', 'remove', 'done', 'pending', 'skipped', 'undo', 'redo'), fc.nat(59), fc.nat(5)), { minLength: 1, maxLength: 6 }),
        async (writes) => {
          for (const [what, d, l] of writes) {
            const docId = docs[d]!;
            if (what === 'undo' || what === 'redo') await call(env.services, `annotations.${what}`, { projectId: 'c' });
            else if (what === 'done' || what === 'pending' || what === 'skipped') await call(env.services, 'annotations.setStatus', { projectId: 'c', docId, status: what });
            else await call(env.services, 'annotations.apply', { projectId: 'c', docId, labelId: labels[l], action: what });
          }
          const fresh = createServices({ dataDir: env.dataDir, resourcesDir: resourcesDir(), version: 'fresh' });
          try {
            for (const o of orders) expect(strip(await page(env.services, o)), JSON.stringify(o)).toEqual(strip(await page(fresh, o)));
          } finally {
            await fresh.dispose();
          }
        },
      ),
      { numRuns: 12, seed: 15 },
    );
  });
});

describe('RankingCache', () => {
  it('ranks once, then pages from the kept order and moves only the documents a write touched', async () => {
    const p = tempProject();
    try {
      const repo = new QueueRepo(p.db);
      const ids = Array.from({ length: 5 }, (_, i) => Number(p.db.prepare("INSERT INTO documents (ext_id, text, split) VALUES (?, 'x', 'pool')").run(`d${i}`).lastInsertRowid));
      const scope = { split: 'pool', statuses: ['pending' as const] };
      let ranks = 0;
      const scored: number[] = [];
      const ranker: Ranker = {
        rank: async () => (ranks++, rankBy(repo.ids(scope), (id) => id)),
        score: (id) => (scored.push(id), id),
        refresh: () => [],
        show: (page) => page.ids.map(() => ({ score: null, reason: null })),
      };
      const cache = new RankingCache<null>();
      const order = () => cache.order(p.store, repo, 'k', scope, { fixed: 'v1' }, async () => ({ ranker, meta: null }));
      expect((await order()).how).toBe('ranked');
      expect((await order()).how).toBe('cached');
      p.db.prepare("UPDATE documents SET status = 'done' WHERE id = ?").run(ids[2]);
      const updated = await order();
      expect(updated.how).toBe('updated');
      expect(updated.list.ids()).toEqual([ids[4], ids[3], ids[1], ids[0]]);
      expect(ranks).toBe(1);
      expect(scored).toEqual([]); // out of scope: removed, not scored
      p.db.prepare("UPDATE documents SET status = 'pending' WHERE id = ?").run(ids[2]);
      expect((await order()).list.ids()).toEqual([...ids].reverse());
      expect(scored).toEqual([ids[2]]);
      // Another corpus (an import) ranks again.
      expect((await cache.order(p.store, repo, 'k', scope, { fixed: 'v2' }, async () => ({ ranker, meta: null }))).how).toBe('ranked');
      expect(ranks).toBe(2);

    } finally {
      p.close();
    }
  });
});

describe('RankingCache: a better order ranks in the background while the kept one answers', () => {
  /** A ranker whose rank waits until the test lets it finish. */
  function gatedRanker(repo: QueueRepo, scope: { split: string; statuses: 'pending'[] }, sign: 1 | -1, fail = false) {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const ranker: Ranker = {
      rank: async () => {
        await gate;
        if (fail) throw new Error('the model files went away');
        return rankBy(repo.ids(scope), (id) => sign * id);
      },
      score: (id) => sign * id,
      refresh: () => [],
      show: (page) => page.ids.map(() => ({ score: null, reason: null })),
    };
    return { ranker, open };
  }

  it('answers from the kept order past the wait, applies writes to it, and says when the new order is in', async () => {
    const p = tempProject();
    try {
      const repo = new QueueRepo(p.db);
      const ids = Array.from({ length: 4 }, (_, i) => Number(p.db.prepare("INSERT INTO documents (ext_id, text, split) VALUES (?, 'x', 'pool')").run(`d${i}`).lastInsertRowid));
      const scope = { split: 'pool', statuses: ['pending' as const] };
      const cache = new RankingCache<string>();
      const first = gatedRanker(repo, scope, 1);
      first.open();
      await cache.order(p.store, repo, 'k', scope, { fixed: 'v1|partial', base: 'v1' }, async () => ({ ranker: first.ranker, meta: 'keywords' }));
      const better = gatedRanker(repo, scope, -1);
      let makes = 0;
      let fresh = 0;
      const ask = () => cache.order(p.store, repo, 'k', scope, { fixed: 'v1|complete', base: 'v1' }, async () => (makes++, { ranker: better.ranker, meta: 'complete' }), undefined, { staleAfterMs: 5, onFresh: () => fresh++ });
      const stale = await ask();
      expect(stale.how).toBe('stale');
      expect(stale.meta).toBe('keywords');
      expect(stale.list.ids()).toEqual([...ids].reverse());
      expect(cache.ranking(p.store, 'k')).toBe(true);
      // A write while it ranks moves the kept order; a second request does not rank a second time.
      p.db.prepare("UPDATE documents SET status = 'done' WHERE id = ?").run(ids[3]);
      const again = await ask();
      expect(again.how).toBe('stale');
      expect(again.list.ids()).toEqual([ids[2], ids[1], ids[0]]);
      expect(makes).toBe(1);
      expect(fresh).toBe(0);
      better.open();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(fresh).toBe(1);
      expect(cache.ranking(p.store, 'k')).toBe(false);
      const now = await ask();
      expect(now.meta).toBe('complete');
      expect(now.list.ids()).toEqual([ids[0], ids[1], ids[2]]); // the write made before the rank finished is in
      expect(makes).toBe(1);
    } finally {
      p.close();
    }
  });

  it('never answers stale across corpus versions, nor when the re-rank is quick, nor after a background failure', async () => {
    const p = tempProject();
    try {
      const repo = new QueueRepo(p.db);
      for (let i = 0; i < 3; i++) p.db.prepare("INSERT INTO documents (ext_id, text, split) VALUES (?, 'x', 'pool')").run(`d${i}`);
      const scope = { split: 'pool', statuses: ['pending' as const] };
      const cache = new RankingCache<string>();
      const quick = gatedRanker(repo, scope, 1);
      quick.open();
      let fresh = 0;
      const options = { staleAfterMs: 1000, onFresh: () => fresh++ };
      await cache.order(p.store, repo, 'k', scope, { fixed: 'v1|a', base: 'v1' }, async () => ({ ranker: quick.ranker, meta: 'a' }));
      // Quick: ranked within the wait, so no stale answer and no event.
      expect((await cache.order(p.store, repo, 'k', scope, { fixed: 'v1|b', base: 'v1' }, async () => ({ ranker: quick.ranker, meta: 'b' }), undefined, options)).how).toBe('ranked');
      expect(fresh).toBe(0);
      // Another corpus version: waits for the new order however long it takes.
      const slow = gatedRanker(repo, scope, -1);
      const other = cache.order(p.store, repo, 'k', scope, { fixed: 'v2|a', base: 'v2' }, async () => ({ ranker: slow.ranker, meta: 'v2' }), undefined, { staleAfterMs: 1 });
      await new Promise((resolve) => setTimeout(resolve, 10));
      slow.open();
      expect((await other).meta).toBe('v2');
      // A background re-rank that fails: the stale answer was given once, the next request waits and sees the error.
      const failing = gatedRanker(repo, scope, 1, true);
      const failingAsk = () => cache.order(p.store, repo, 'k', scope, { fixed: 'v2|b', base: 'v2' }, async () => ({ ranker: failing.ranker, meta: 'b' }), undefined, { staleAfterMs: 1 });
      expect((await failingAsk()).how).toBe('stale');
      failing.open();
      await new Promise((resolve) => setTimeout(resolve, 10));
      await expect(failingAsk()).rejects.toThrow('the model files went away');
    } finally {
      p.close();
    }
  });
});

describe('KeywordBuild', () => {
  // Filler words everywhere; the labels' words in a few documents each (so they are not too common).
  const corpus = Array.from({ length: 300 }, (_, i) => ({
    id: i + 1,
    text: `case w${i % 40} w${(i * 7) % 40} ${i % 40 === 0 ? 'brucellosis brucella' : ''} ${i % 37 === 0 ? 'asthma wheeze' : ''} ${i % 53 === 0 ? 'fracture femur' : ''}`,
  }));
  const labelRows = [
    { id: 1, code: 'A', title: 'Brucellosis', synonyms: '["Brucella infection"]' },
    { id: 2, code: 'B', title: 'Asthma with wheeze', synonyms: '[]' },
    { id: 3, code: 'C', title: 'Fracture of femur', synonyms: '[]' },
  ];
  const source: KeywordSource = {
    documentCount: () => corpus.length,
    sampleTexts: (every, after, limit) => corpus.filter((d) => d.id > after && d.id % every === 0).slice(0, limit),
    labelsForSeeds: (after, limit) => labelRows.filter((l) => l.id > after).slice(0, limit),
    textsAfter: (after, limit) => corpus.filter((d) => d.id > after).slice(0, limit),
  };
  const evidence = (b: KeywordBuild): string[] =>
    Array.from({ length: b.indexedDocs }, (_, p) => {
      const out: string[] = [];
      b.evidenceOf(p, (l, e) => out.push(`${l}:${e.toFixed(6)}`));
      return out.join(' ');
    });

  it('gives every document the same evidence in tiny time slices as in one go, and yields between slices', async () => {
    // Count event-loop turns with a self-rescheduling setImmediate (not a timer: a 1 ms timer ticks
    // only as often as the wall clock allows, so a fast build would look as if it never yielded).
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const sliced = new KeywordBuild(source, { sliceMs: 0 });
    let usableEarly = false;
    await sliced.until(() => sliced.usable, 10_000);
    usableEarly = !sliced.complete;
    await sliced.finished;
    ticking = false;
    const whole = new KeywordBuild(source, { sliceMs: 60_000 });
    await whole.finished;
    expect(sliced.complete && whole.complete).toBe(true);
    expect(usableEarly).toBe(true); // rankings could start before the last document was in
    expect(turns).toBeGreaterThan(10); // other work ran between slices
    expect(evidence(sliced)).toEqual(evidence(whole));
    expect(evidence(whole).some((e) => e.startsWith('0:'))).toBe(true); // brucellosis documents found label A
  });

  it('finding labels through their trigger seeds gives what checking every label against every document gives', async () => {
    const b = new KeywordBuild(source);
    await b.finished;
    const labels = b.labels!;
    for (let p = 0; p < b.indexedDocs; p++) {
      const tokens = new Set(b.corpus.tokensOf(p));
      const expected: { l: number; e: number }[] = [];
      for (let l = 0; l < labels.size; l++) {
        const seeds = labels.seedsOf(l);
        const total = seeds.reduce((a, s) => a + s.weight, 0);
        const matched = seeds.filter((s) => tokens.has(s.token)).reduce((a, s) => a + s.weight, 0);
        if (total > 0 && matched / total >= 0.6) expected.push({ l, e: (matched / total) * matched });
      }
      expected.sort((x, y) => y.e - x.e || x.l - y.l);
      const got: { l: number; e: number }[] = [];
      b.evidenceOf(p, (l, e) => got.push({ l, e }));
      expect(got.map((g) => [g.l, g.e.toFixed(3)]), `document ${p}`).toEqual(expected.slice(0, 4).map((x) => [x.l, x.e.toFixed(3)]));
    }
  });

  it('a failing source fails the build with its error, and waiters are released', async () => {
    const b = new KeywordBuild({ ...source, textsAfter: () => {
      throw new Error('disk gone');
    } });
    await b.until(() => b.complete, 10_000);
    expect(b.phase).toBe('failed');
    expect(b.error?.message).toBe('disk gone');
  });
});
