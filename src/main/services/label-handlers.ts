import type { LabelCatalogue } from '../../shared/contract';
import type { Handlers } from '../app/dispatch';
import type { LabelRow } from '../store/labels-repo';
import type { ProjectStore } from '../store/project-store';
import { annotationsOf } from './annotation-handlers';
import type { ServiceContext } from './context';

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

/** The label catalogue for the renderer's search index, training counts, and recently used labels. */
export function labelHandlers(s: ServiceContext): Pick<Handlers, 'labels.catalogue' | 'labels.counts' | 'labels.recent'> {
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
