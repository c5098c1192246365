import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanterError } from '../../shared/errors';
import { MIGRATIONS, SCHEMA_VERSION, inReadSnapshot, migrate, openDb, type Db, type Migration } from './db';
import { DB_FILE, ProjectStore } from './project-store';

let dir: string;
const open: Db[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'planter-db-'));
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function track(db: Db): Db {
  open.push(db);
  return db;
}
const version = (db: Db): number => db.pragma('user_version', { simple: true }) as number;
const tables = (db: Db): string[] => db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'trigger', 'index') ORDER BY name").pluck().all() as string[];

function thrown(fn: () => unknown): PlanterError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlanterError);
    return e as PlanterError;
  }
  throw new Error('expected a PlanterError');
}

describe('migrations', () => {
  it('the migration files are numbered 1, 2, … without gaps', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(MIGRATIONS[0]!.name).toBe('initial');
  });

  it('a fresh database reaches SCHEMA_VERSION with the expected tables', () => {
    const db = track(openDb(join(dir, 'fresh.sqlite'), { create: true }));
    expect(version(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(expect.arrayContaining(['meta', 'imports', 'documents', 'labels', 'assignments', 'annotation_events', 'models', 'training_runs', 'labels_fts', 'documents_fts']));
  });

  it('re-opening and re-migrating is idempotent', () => {
    const file = join(dir, 'again.sqlite');
    const first = openDb(file, { create: true });
    first.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    const schema = tables(first);
    first.close();
    const db = track(openDb(file));
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(version(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(schema);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get()).toBe('v');
  });

  it('a failing migration leaves the previous schema and user_version intact', () => {
    const db = track(openDb(join(dir, 'broken.sqlite'), { create: true }));
    const before = tables(db);
    const broken: Migration[] = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'adds_then_fails', sql: 'CREATE TABLE extra (x INTEGER); ALTER TABLE labels ADD COLUMN note TEXT; CREATE TABLE documents (x INTEGER);' },
    ];
    expect(() => migrate(db, broken)).toThrow(/table documents already exists/);
    expect(version(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(before);
    const columns = db.prepare("SELECT name FROM pragma_table_info('labels')").pluck().all();
    expect(columns).not.toContain('note');
  });

  it('a failure in a later migration of several rolls back the earlier ones too', () => {
    const db = track(new Database(join(dir, 'raw.sqlite')));
    const list: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, list)).toThrow(/no such table: nowhere/);
    expect(version(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    expect(migrate(db, list.slice(0, 1))).toBe(1);
    expect(tables(db)).toEqual(['a']);
  });

  it('a database written by a newer Planter is refused with a clear message', () => {
    const file = join(dir, 'newer.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    for (const opts of [{}, { readonly: true }]) {
      const e = thrown(() => openDb(file, opts));
      expect(e.code).toBe('unavailable');
      expect(e.message).toBe(`this project was written by a newer Planter (schema ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION})`);
    }
    // Nothing was migrated or changed.
    const check = track(new Database(file, { readonly: true }));
    expect(version(check)).toBe(SCHEMA_VERSION + 1);
    expect(tables(check)).toEqual([]);
  });

  it('sets WAL, full synchronous writes and enforced foreign keys on every connection', () => {
    const db = track(openDb(join(dir, 'pragmas.sqlite'), { create: true }));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(() => db.prepare("INSERT INTO assignments (doc_id, label_id, source, updated_at) VALUES (1, 1, 'imported', 'now')").run()).toThrow(/FOREIGN KEY/);
  });

  it('a missing file is not-found unless create is set; a file that is not SQLite is a bad file', () => {
    expect(thrown(() => openDb(join(dir, 'missing.sqlite'))).code).toBe('not-found');
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is not a database, just text that is long enough to have a header');
    const e = thrown(() => openDb(junk));
    expect(e.code).toBe('bad-file');
    expect(e.message).toMatch(/junk\.sqlite is not a readable Planter project/);
    expect(e.details?.file).toBe(junk);
  });
});

describe('ProjectStore', () => {
  it('create writes the meta rows; a second create in the same folder is a conflict; open finds it again', () => {
    const folder = join(dir, 'proj');
    const s = ProjectStore.create(folder, 'My project');
    expect(s.getMeta('name')).toBe('My project');
    expect(s.getMeta('demo')).toBe('0');
    s.close();
    expect(thrown(() => ProjectStore.create(folder, 'again')).code).toBe('conflict');
    const again = ProjectStore.open(folder);
    expect(again.getMeta('name')).toBe('My project');
    again.setMeta('name', 'Renamed');
    expect(again.getMeta('name')).toBe('Renamed');
    again.close();
    again.close(); // closing twice is harmless
    expect(ProjectStore.isProject(folder)).toBe(true);
    expect(thrown(() => ProjectStore.open(join(dir, 'none'))).message).toContain(DB_FILE);
  });
});

describe('inReadSnapshot', () => {
  it('every read inside sees one snapshot while another connection commits; a throw ends it', () => {
    const folder = join(dir, 'proj');
    const s = ProjectStore.create(folder, 'snapshot');
    const writer = track(openDb(join(folder, DB_FILE)));
    const reader = track(openDb(join(folder, DB_FILE), { readonly: true }));
    const count = (): number => reader.prepare('SELECT COUNT(*) FROM meta').pluck().get() as number;
    const before = count();
    const seen = inReadSnapshot(reader, () => {
      const first = count();
      writer.prepare("INSERT INTO meta (key, value) VALUES ('during', 'x')").run();
      return [first, count()];
    });
    expect(seen).toEqual([before, before]);
    expect(count()).toBe(before + 1);
    expect(() =>
      inReadSnapshot(reader, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(reader.inTransaction).toBe(false);
    s.close();
  });
});

describe('ProjectStore.checkpointWal', () => {
  it('empties the WAL into the database file', () => {
    const folder = join(dir, 'proj');
    const s = ProjectStore.create(folder, 'wal');
    for (let i = 0; i < 50; i++) s.setMeta(`k${i}`, 'v'.repeat(200));
    const wal = join(folder, `${DB_FILE}-wal`);
    expect(statSync(wal).size).toBeGreaterThan(0);
    s.checkpointWal();
    expect(statSync(wal).size).toBe(0);
    expect(s.getMeta('k49')).toBe('v'.repeat(200));
    s.close();
    const again = ProjectStore.open(folder);
    expect(again.getMeta('k0')).toBe('v'.repeat(200));
    again.close();
  });
});
