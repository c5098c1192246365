import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { trainingDocsWhere } from './training-docs';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.close());

const SPLITS = ['train', 'pool', 'dev', 'test', 'extra'];
const STATUSES = ['pending', 'done', 'skipped', 'review'];

/** What the triggers must keep: the same numbers computed from the rows. */
function recomputed(): { docs: Record<string, number>; labels: Record<number, [number, number]> } {
  const docs: Record<string, number> = {};
  for (const r of p.db.prepare('SELECT split, status, COUNT(*) AS n FROM documents GROUP BY split, status').all() as { split: string; status: string; n: number }[]) docs[`${r.split}/${r.status}`] = r.n;
  const labels: Record<number, [number, number]> = {};
  const rows = p.db
    .prepare(`SELECT a.label_id AS l, COUNT(*) AS used, SUM(${trainingDocsWhere('d')}) AS train FROM assignments a JOIN documents d ON d.id = a.doc_id WHERE a.present = 1 GROUP BY a.label_id`)
    .all() as { l: number; used: number; train: number }[];
  for (const r of rows) labels[r.l] = [r.used, r.train];
  return { docs, labels };
}

function kept(): { docs: Record<string, number>; labels: Record<number, [number, number]> } {
  const docs: Record<string, number> = {};
  for (const r of p.db.prepare('SELECT split, status, n FROM doc_counts WHERE n != 0').all() as { split: string; status: string; n: number }[]) docs[`${r.split}/${r.status}`] = r.n;
  const labels: Record<number, [number, number]> = {};
  for (const r of p.db.prepare('SELECT label_id AS l, used, train FROM label_counts WHERE used != 0 OR train != 0').all() as { l: number; used: number; train: number }[]) labels[r.l] = [r.used, r.train];
  return { docs, labels };
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('doc' as const), split: fc.constantFrom(...SPLITS), status: fc.constantFrom(...STATUSES) }),
  fc.record({ kind: fc.constant('assign' as const), doc: fc.nat(30), label: fc.nat(6), present: fc.constantFrom(0, 1), imported: fc.boolean() }),
  fc.record({ kind: fc.constant('unassign' as const), doc: fc.nat(30), label: fc.nat(6) }),
  fc.record({ kind: fc.constant('status' as const), doc: fc.nat(30), status: fc.constantFrom(...STATUSES) }),
  fc.record({ kind: fc.constant('split' as const), doc: fc.nat(30), split: fc.constantFrom(...SPLITS) }),
  fc.record({ kind: fc.constant('move' as const), doc: fc.nat(30), label: fc.nat(6), to: fc.nat(6) }),
);

describe('counters kept by triggers (migration 0005)', () => {
  it('doc_counts and label_counts equal a recount after any sequence of writes (property)', () => {
    const labels = Array.from({ length: 7 }, (_, i) => Number(p.db.prepare('INSERT INTO labels (code, title) VALUES (?, ?)').run(`L${i}`, `label ${i}`).lastInsertRowid));
    let n = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const docs = p.db.prepare('SELECT id FROM documents ORDER BY id').pluck().all() as number[];
        const docAt = (i: number): number | undefined => docs[i % Math.max(1, docs.length)];
        for (const o of ops) {
          if (o.kind === 'doc') {
            docs.push(Number(p.db.prepare('INSERT INTO documents (ext_id, text, split, status) VALUES (?, ?, ?, ?)').run(`d${n++}`, 'text', o.split, o.status).lastInsertRowid));
            continue;
          }
          const doc = docAt(o.doc);
          if (doc === undefined) continue;
          if (o.kind === 'assign') {
            p.db
              .prepare('INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id, label_id) DO UPDATE SET present = excluded.present, source = excluded.source')
              .run(doc, labels[o.label], o.present, o.imported ? 'imported' : 'annotator', 'now');
          } else if (o.kind === 'unassign') p.db.prepare('DELETE FROM assignments WHERE doc_id = ? AND label_id = ?').run(doc, labels[o.label]);
          else if (o.kind === 'status') p.db.prepare('UPDATE documents SET status = ? WHERE id = ?').run(o.status, doc);
          else if (o.kind === 'split') p.db.prepare('UPDATE documents SET split = ? WHERE id = ?').run(o.split, doc);
          else p.db.prepare('UPDATE OR IGNORE assignments SET label_id = ? WHERE doc_id = ? AND label_id = ?').run(labels[o.to], doc, labels[o.label]);
        }
        expect(kept()).toEqual(recomputed());
      }),
      { numRuns: 60, seed: 15 },
    );
  });

  it('annotator writes are logged per document; imported assignments are not', () => {
    const label = Number(p.db.prepare("INSERT INTO labels (code, title) VALUES ('A', 'a')").run().lastInsertRowid);
    const doc = (ext: string): number => Number(p.db.prepare("INSERT INTO documents (ext_id, text, split) VALUES (?, 'x', 'pool')").run(ext).lastInsertRowid);
    const a = doc('a');
    const b = doc('b');
    const logged = (): number[] => p.db.prepare('SELECT doc_id FROM doc_changes ORDER BY seq').pluck().all() as number[];
    p.db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, 1, 'imported', 'now')").run(a, label);
    expect(logged()).toEqual([]);
    p.db.prepare("INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES (?, ?, 0, 'annotator', 'now')").run(b, label);
    p.db.prepare("UPDATE documents SET status = 'done' WHERE id = ?").run(a);
    p.db.prepare("UPDATE documents SET status = 'done' WHERE id = ?").run(a); // no change: not logged
    p.db.prepare('DELETE FROM assignments WHERE doc_id = ?').run(b);
    expect(logged()).toEqual([b, a, b]);
  });
});
