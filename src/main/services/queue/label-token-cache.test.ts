/**
 * The catalogue's description tokens kept between processes (issue #15): a build that reads them
 * back equals one that tokenised, and any change of labels, texts or file is a miss, not an error.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QueueRepo } from '../../store/queue-repo';
import { tempServices } from '../../testing/temp-services';
import { KeywordBuild, type KeywordSource, type LabelTokenStore } from './keyword-build';
import { CatalogueFingerprint, decodeLabelTokens, encodeLabelTokens, fileLabelTokenStore, type LabelTokens } from './label-token-cache';

const corpus = Array.from({ length: 200 }, (_, i) => ({
  id: i + 1,
  text: `note w${i % 30} w${(i * 7) % 30} ${i % 30 === 0 ? 'brucellosis malta fever infection' : ''} ${i % 23 === 0 ? 'asthma with wheeze' : ''} ${i % 41 === 0 ? 'fracture femur neck broken hip' : ''}`,
}));
const baseLabels = [
  { id: 1, code: 'A', title: 'Brucellosis', synonyms: '["Brucella infection", "Malta fever"]' },
  { id: 2, code: 'B', title: 'Asthma with wheeze', synonyms: '[]' },
  { id: 3, code: 'C', title: 'Fracture of femur neck', synonyms: '["Broken hip"]' },
  { id: 5, code: 'D', title: 'Ünïcödé İstanbul fever 2', synonyms: '[]' },
];
const sourceOf = (labels: typeof baseLabels): KeywordSource => ({
  documentCount: () => corpus.length,
  sampleTexts: (every, after, limit) => corpus.filter((d) => d.id > after && d.id % every === 0).slice(0, limit),
  labelsForSeeds: (after, limit) => labels.filter((l) => l.id > after).slice(0, limit),
  textsAfter: (after, limit) => corpus.filter((d) => d.id > after).slice(0, limit),
});
const memoryStore = (): LabelTokenStore & { data: Uint8Array | null; writes: number } => {
  const store = {
    data: null as Uint8Array | null,
    writes: 0,
    read: () => store.data,
    write: async (d: Uint8Array) => {
      store.data = d;
      store.writes++;
    },
  };
  return store;
};
/** Everything a build derives from the labels: evidence per document and seeds per label. */
const snapshot = (b: KeywordBuild): unknown => ({
  evidence: Array.from({ length: b.indexedDocs }, (_, p) => {
    const out: string[] = [];
    b.evidenceOf(p, (l, e) => out.push(`${l}:${e.toFixed(6)}`));
    return out.join(' ');
  }),
  seeds: Array.from({ length: b.labels!.size }, (_, l) => b.labels!.seedsOf(l).map((s) => `${b.corpus.word(s.token)}:${s.weight.toFixed(6)}`)),
});

describe('the label token cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'planter-label-tokens-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a build from the cached tokens equals a build that tokenised the catalogue', async () => {
    const store = memoryStore();
    const first = new KeywordBuild(sourceOf(baseLabels), { labelCache: store });
    await first.finished;
    expect(first.labelTokensCached).toBe(false);
    expect(store.writes).toBe(1);
    const second = new KeywordBuild(sourceOf(baseLabels), { labelCache: store });
    await second.finished;
    expect(second.labelTokensCached).toBe(true);
    expect(store.writes).toBe(1);
    const plain = new KeywordBuild(sourceOf(baseLabels));
    await plain.finished;
    expect(snapshot(second)).toEqual(snapshot(plain));
    expect(snapshot(first)).toEqual(snapshot(plain));
    expect((snapshot(plain) as { evidence: string[] }).evidence.filter((e) => e !== '').length).toBeGreaterThan(5); // the comparison is not of empty tables
  });

  it('a changed title, a new label or a damaged file is a miss, and the labels are tokenised again', async () => {
    const store = memoryStore();
    await new KeywordBuild(sourceOf(baseLabels), { labelCache: store }).finished;
    const good = store.data!;
    for (const labels of [baseLabels.map((l) => (l.id === 2 ? { ...l, title: 'Asthma' } : l)), [...baseLabels, { id: 9, code: 'E', title: 'Essential hypertension', synonyms: '[]' }], baseLabels.map((l) => (l.id === 3 ? { ...l, synonyms: '[]' } : l))]) {
      store.data = good;
      const b = new KeywordBuild(sourceOf(labels), { labelCache: store });
      await b.finished;
      expect(b.labelTokensCached).toBe(false);
      const plain = new KeywordBuild(sourceOf(labels));
      await plain.finished;
      expect(snapshot(b)).toEqual(snapshot(plain));
    }
    for (const damaged of [good.subarray(0, good.length - 3), good.subarray(0, 10), Buffer.from('not a cache'), new Uint8Array(0)]) {
      store.data = damaged;
      const b = new KeywordBuild(sourceOf(baseLabels), { labelCache: store });
      await b.finished;
      expect(b.labelTokensCached).toBe(false);
      expect(b.complete).toBe(true);
    }
  });

  it('decodes what it encodes, and refuses another catalogue, label count or out-of-range word', () => {
    const tokens: LabelTokens = { words: ['brucellosis', 'malta', 'fever'], starts: Int32Array.of(0, 2, 2, 3), wordIndex: Int32Array.of(0, 1, 2), fields: Float64Array.of(1, 0.8, 0.8) };
    const f = new CatalogueFingerprint();
    f.add(baseLabels.slice(0, 3));
    const catalogue = f.digest();
    const buf = encodeLabelTokens(catalogue, tokens);
    expect(decodeLabelTokens(buf, catalogue, 3)).toEqual(tokens);
    expect(decodeLabelTokens(buf, 'another', 3)).toBeNull();
    expect(decodeLabelTokens(buf, catalogue, 4)).toBeNull();
    expect(decodeLabelTokens(encodeLabelTokens(catalogue, { ...tokens, wordIndex: Int32Array.of(0, 1, 3) }), catalogue, 3)).toBeNull();
    expect(decodeLabelTokens(encodeLabelTokens(catalogue, { ...tokens, starts: Int32Array.of(0, 2, 1, 3) }), catalogue, 3)).toBeNull();
  });

  it('the file store writes the project-private file atomically and reads it back; a missing file is a miss', async () => {
    const file = join(dir, 'cache', 'keyword-labels.bin');
    const store = fileLabelTokenStore(file);
    expect(store.read()).toBeNull();
    await store.write(Buffer.from('abc'));
    expect(Buffer.from(store.read()!).toString()).toBe('abc');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'cache')).mode & 0o777).toBe(0o700);
    writeFileSync(file, 'garbage');
    const b = new KeywordBuild(sourceOf(baseLabels), { labelCache: store });
    await b.finished;
    expect(b.labelTokensCached).toBe(false);
    // The miss wrote a good cache in the background; the build says when it is written, and the next build reads it.
    await b.cacheWritten;
    const again = new KeywordBuild(sourceOf(baseLabels), { labelCache: store });
    await again.finished;
    expect(again.labelTokensCached).toBe(true);
  });

  it('a write into a folder that is gone settles with a warning, never a rejection', async () => {
    const gone = mkdtempSync(join(tmpdir(), 'planter-label-tokens-gone-'));
    const file = join(gone, 'cache', 'keyword-labels.bin');
    rmSync(gone, { recursive: true, force: true });
    // A parent that is a file: the private folder cannot be made.
    writeFileSync(gone, 'a file where the project folder was');
    const warned: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => warned.push(m);
    try {
      await expect(fileLabelTokenStore(file).write(Buffer.from('abc'))).resolves.toBeUndefined();
    } finally {
      console.warn = warn;
      rmSync(gone, { force: true });
    }
    expect(warned).toEqual([expect.stringContaining('could not keep the catalogue')]);
  });
});

describe('the index job', () => {
  it('ends only when the catalogue\'s tokens are written, so disposing the services leaves no write behind', async () => {
    const env = tempServices();
    try {
      const store = env.services.projects.create('k', 'Keywords');
      const insertLabel = store.db.prepare('INSERT INTO labels (code, title, synonyms) VALUES (?, ?, ?)');
      for (const l of baseLabels) insertLabel.run(l.code, l.title, l.synonyms);
      const insertDoc = store.db.prepare("INSERT INTO documents (ext_id, text, split, status) VALUES (?, ?, 'pool', 'pending')");
      for (const d of corpus) insertDoc.run(`d${d.id}`, d.text);
      const running = env.services.context.keywords.of('k', store, new QueueRepo(store.db));
      const finished = await env.services.jobs.wait(running.jobId);
      expect(finished.outcome).toBe('done');
      expect(existsSync(store.path('cache', 'keyword-labels.bin'))).toBe(true);
    } finally {
      await env.cleanup();
    }
  });
});
