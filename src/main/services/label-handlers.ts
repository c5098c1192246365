import type { LabelCatalogue } from '../../shared/contract';
import type { Handlers } from '../core/handlers';
import type { LabelRow } from '../store/labels-repo';
import type { ProjectStore } from '../store/project-store';
import { annotationsOf } from './annotation-handlers';
import type { ServiceContext } from './context';
import { DocumentTerms, distinctiveTerms, documentsToRead, type LabelTerms } from './label-terms';

const clean = (s: string): string => s.replace(/[\t\r\n]+/g, ' ');

/** Serialises the catalogue as `LabelCatalogue.rows` (see the contract for the format). */
export function catalogueRows(rows: readonly Pick<LabelRow, 'id' | 'code' | 'title' | 'synonyms' | 'parent_code' | 'kind' | 'flagged'>[]): string {
  const lines = new Array<string>(rows.length);
  rows.forEach((r, i) => {
    const synonyms = r.synonyms === '[]' ? [] : (JSON.parse(r.synonyms) as string[]);
    lines[i] = [r.id, clean(r.code), r.parent_code ? clean(r.parent_code) : '', r.kind === 'category' ? 'g' : 'c', r.flagged ? '1' : '', clean(r.title), ...synonyms.map(clean)].join('\t');
  });
  return lines.join('\n');
}

/** Cached per open store and version: 94k labels take ~100 ms to serialise, and each tab asks for them. */
const cache = new WeakMap<ProjectStore, LabelCatalogue>();

/** Documents without labels read for the document frequencies of `labels.terms`. */
const BACKGROUND = 500;

/** Per open store: the documents' term sets (kept, documents do not change) and the last result. */
const termCache = new WeakMap<ProjectStore, { docs: DocumentTerms; version: string; result: Promise<LabelTerms[]> }>();

async function labelTerms(store: ProjectStore): Promise<{ version: string; labels: LabelTerms[] }> {
  const version = annotationsOf(store).assignmentsVersion();
  const cached = termCache.get(store);
  if (cached?.version === version) return { version, labels: await cached.result };
  const docs = cached?.docs ?? new DocumentTerms();
  const result = (async () => {
    // Each label's documents, the newest assignments first (a coder's latest decisions always count).
    const rows = annotationsOf(store).presentAssignmentsByLabel();
    const all = new Map<number, number[]>();
    for (const r of rows) {
      const list = all.get(r.labelId);
      if (list) list.push(r.docId);
      else all.set(r.labelId, [r.docId]);
    }
    const assigned = documentsToRead(all);
    // Document frequencies also count a sample of the documents without labels (every k-th, up to
    // BACKGROUND), so a term all labelled documents share still stands out against the corpus.
    const labelled = new Set(rows.map((r) => r.docId));
    const read = new Set([...assigned.values()].flat());
    const others = store.documents.allIds().filter((d) => !labelled.has(d));
    const step = Math.max(1, Math.ceil(others.length / BACKGROUND));
    const background = others.filter((_, k) => k % step === 0);
    // Only documents not read before, their texts in pages of 500 so the event loop runs between pages.
    const unread = [...read, ...background].filter((d) => !docs.has(d)).sort((a, b) => a - b);
    for (let k = 0; k < unread.length; k += 500) {
      const ids = unread.slice(k, k + 500);
      await docs.addAll(store.documents.textsOf(ids));
    }
    return distinctiveTerms(docs, assigned, background);
  })();
  termCache.set(store, { docs, version, result });
  result.catch(() => termCache.delete(store));
  return { version, labels: await result };
}

/** The label catalogue for the renderer's search index, training counts, the words coders used, and recently used labels. */
export function labelHandlers(s: ServiceContext): Pick<Handlers, 'labels.catalogue' | 'labels.counts' | 'labels.terms' | 'labels.recent'> {
  return {
    'labels.catalogue': async ({ projectId }) => {
      const store = s.projects.get(projectId);
      const version = store.labels.catalogueVersion();
      const cached = cache.get(store);
      if (cached?.version === version) return cached;
      const rows = store.labels.allInIdOrder();
      const catalogue = { version, count: rows.length, rows: catalogueRows(rows) };
      cache.set(store, catalogue);
      return catalogue;
    },
    'labels.counts': async ({ projectId }) => {
      const counts: number[] = [];
      for (const [id, n] of s.projects.get(projectId).labels.trainCounts()) counts.push(id, n);
      return { counts };
    },
    'labels.terms': async ({ projectId }) => labelTerms(s.projects.get(projectId)),
    'labels.recent': async ({ projectId, limit }) => {
      const store = s.projects.get(projectId);
      const rows = annotationsOf(store)
        .recentLabelIds(limit)
        .map((id) => store.labels.get(id))
        .filter((r): r is LabelRow => r !== undefined);
      return { items: store.labels.items(rows) };
    },
  };
}
