import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, type Db } from './db';

let db: Db | undefined;
afterEach(() => db?.close());

describe('migration 0006 (provenance)', () => {
  it('gives rows written before it the `how` their source and presence imply, and nobody as `who`', () => {
    db = new Database(':memory:') as Db;
    migrate(db, MIGRATIONS.filter((m) => m.version <= 5));
    db.exec(`
      INSERT INTO documents (id, ext_id, text, split) VALUES (1, 'a', 'alpha', 'pool');
      INSERT INTO labels (id, code) VALUES (1, 'L1'), (2, 'L2'), (3, 'L3'), (4, 'L4');
      INSERT INTO assignments (doc_id, label_id, present, source, updated_at) VALUES
        (1, 1, 1, 'imported', 't'), (1, 2, 1, 'suggestion', 't'), (1, 3, 1, 'annotator', 't'), (1, 4, 0, 'annotator', 't');
    `);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 6));
    expect(db.prepare('SELECT label_id, how, who, score FROM assignments ORDER BY label_id').all()).toEqual([
      { label_id: 1, how: 'imported', who: null, score: null },
      { label_id: 2, how: 'accepted', who: null, score: null },
      { label_id: 3, how: 'added', who: null, score: null },
      { label_id: 4, how: 'rejected', who: null, score: null },
    ]);
    expect(() => db!.prepare("UPDATE assignments SET how = 'guessed' WHERE label_id = 1").run()).toThrow(/CHECK/);
  });
});
