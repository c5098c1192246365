import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PlanterError } from '../../shared/errors';
import { openDb, nowIso, type Db } from './db';
import { DocumentsRepo } from './documents-repo';
import { LabelsRepo } from './labels-repo';
import { narrowIfPresent, PRIVATE_DIR_MODE, privateDir, privateFile } from './private-files';
import { sweepDeadTempFiles } from './temp-files';
import { WriteGate } from './write-gate';

export const DB_FILE = 'project.sqlite';

/** A project is a folder: one SQLite database plus the artefacts it points at (models, exports). */
export class ProjectStore {
  readonly dir: string;
  readonly db: Db;
  readonly documents: DocumentsRepo;
  readonly labels: LabelsRepo;
  /** Main-thread writers wait here while a worker commits an import (write-gate.ts). */
  readonly writes = new WriteGate();

  private constructor(dir: string, db: Db) {
    this.dir = dir;
    this.db = db;
    this.documents = new DocumentsRepo(db);
    this.labels = new LabelsRepo(db);
  }

  /** The database file (a worker thread opens its own connection to it). */
  get dbFile(): string {
    return join(this.dir, DB_FILE);
  }

  static isProject(dir: string): boolean {
    return existsSync(join(dir, DB_FILE));
  }

  static create(dir: string, name: string, options: { demo?: boolean; nativeBinding?: string } = {}): ProjectStore {
    if (ProjectStore.isProject(dir)) throw new PlanterError('conflict', `a project already exists in ${dir}`);
    privateDir(dir);
    // SQLite gives the -wal and -shm files the database file's mode: 0600 from the start.
    privateFile(join(dir, DB_FILE));
    const db = openDb(join(dir, DB_FILE), { create: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    ProjectStore.#narrowDatabase(dir);
    const store = new ProjectStore(dir, db);
    db.transaction(() => {
      store.setMeta('name', name);
      store.setMeta('created_at', nowIso());
      store.setMeta('demo', options.demo ? '1' : '0');
    })();
    return store;
  }

  static open(dir: string, options: { nativeBinding?: string } = {}): ProjectStore {
    if (!ProjectStore.isProject(dir)) throw new PlanterError('not-found', `no Planter project in ${dir} (expected ${DB_FILE})`);
    const store = new ProjectStore(dir, openDb(join(dir, DB_FILE), options));
    // A project an older Planter made under a 022 umask (0755/0644) is made private on open.
    if (!store.db.readonly) {
      try {
        chmodSync(dir, PRIVATE_DIR_MODE);
        ProjectStore.#narrowDatabase(dir);
      } catch {
        // Not ours to change (another owner, a read-only medium): it opens as it is.
      }
    }
    // Staging databases and half-written temp files of a process that was killed (issue #7).
    sweepDeadTempFiles(dir);
    return store;
  }

  static #narrowDatabase(dir: string): void {
    for (const suffix of ['', '-wal', '-shm']) narrowIfPresent(join(dir, `${DB_FILE}${suffix}`));
  }

  /** Folders for artefacts; created on demand. */
  path(kind: 'models' | 'checkpoints' | 'exports' | 'tmp' | 'uploads' | 'cache', ...rest: string[]): string {
    const base = join(this.dir, kind);
    if (!existsSync(base)) privateDir(base);
    return join(base, ...rest);
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /**
   * Moves every committed page from the WAL into the database file and empties the WAL, so the
   * folder holds the whole project in project.sqlite (before a built project is renamed into place).
   */
  checkpointWal(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
