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

function catalogueVersion(store: ProjectStore): string {
  const l = store.db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM labels').get() as { n: number; m: number };
  const imports = store.db.prepare("SELECT COUNT(*) FROM imports WHERE kind = 'catalogue'").pluck().get() as number;
  return `${l.n}.${l.m}.${imports}`;
}

/** Changes whenever an assignment or document is added, removed or changed (also by undo). */
function assignmentsVersion(store: ProjectStore): string {
  const a = store.db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), \'\') AS m FROM assignments WHERE present = 1').get() as { n: number; m: string };
  const e = store.db.prepare('SELECT COALESCE(MAX(id), 0) AS m, COALESCE(SUM(undone), 0) AS u FROM annotation_events').get() as { m: number; u: number };
  const d = store.db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number;
  return `${a.n}.${a.m}.${e.m}.${e.u}.${d}`;
}

/** Documents without labels read for the document frequencies of `labels.terms`. */
const BACKGROUND = 500;

/** Per open store: the documents' term sets (kept, documents do not change) and the last result. */
const termCache = new WeakMap<ProjectStore, { docs: DocumentTerms; version: string; result: Promise<LabelTerms[]> }>();

async function labelTerms(store: ProjectStore): Promise<{ version: string; labels: LabelTerms[] }> {
  const version = assignmentsVersion(store);
  const cached = termCache.get(store);
  if (cached?.version === version) return { version, labels: await cached.result };
  const docs = cached?.docs ?? new DocumentTerms();
  const result = (async () => {
    // Each label's documents, the newest assignments first (a coder's latest decisions always count).
    const rows = store.db.prepare('SELECT label_id AS l, doc_id AS d FROM assignments WHERE present = 1 ORDER BY label_id, updated_at DESC, doc_id').all() as { l: number; d: number }[];
    const all = new Map<number, number[]>();
    for (const r of rows) {
      const list = all.get(r.l);
      if (list) list.push(r.d);
      else all.set(r.l, [r.d]);
    }
    const assigned = documentsToRead(all);
    // Document frequencies also count a sample of the documents without labels (every k-th, up to
    // BACKGROUND), so a term all labelled documents share still stands out against the corpus.
    const labelled = new Set(rows.map((r) => r.d));
    const read = new Set([...assigned.values()].flat());
    const others = (store.db.prepare('SELECT id FROM documents ORDER BY id').pluck().all() as number[]).filter((d) => !labelled.has(d));
    const step = Math.max(1, Math.ceil(others.length / BACKGROUND));
    const background = others.filter((_, k) => k % step === 0);
    // Only documents not read before, their texts in pages of 500 so the event loop runs between pages.
    const unread = [...read, ...background].filter((d) => !docs.has(d)).sort((a, b) => a - b);
    for (let k = 0; k < unread.length; k += 500) {
      const ids = unread.slice(k, k + 500);
      await docs.addAll(store.db.prepare(`SELECT id, text FROM documents WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: number; text: string }[]);
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
      const version = catalogueVersion(store);
      const cached = cache.get(store);
      if (cached?.version === version) return cached;
      const rows = store.db.prepare('SELECT id, code, title, synonyms, parent_code, kind, flagged FROM labels ORDER BY id').all() as LabelRow[];
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
