import Database from 'better-sqlite3';
import { PlanterError } from '../../shared/errors';

export type Db = Database.Database;

/** Migrations in order; the file name's number is the schema version it brings the database to. */
const migrationFiles = import.meta.glob<string>('./migrations/*.sql', { query: '?raw', import: 'default', eager: true });

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = Object.entries(migrationFiles)
  .map(([file, sql]) => {
    const match = /\/(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file name must be NNNN_name.sql: ${file}`);
    return { version: Number(match[1]), name: match[2]!, sql };
  })
  .sort((a, b) => a.version - b.version);

export const SCHEMA_VERSION = MIGRATIONS.length ? MIGRATIONS[MIGRATIONS.length - 1]!.version : 0;

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file when missing (only `projects.create` and the CLI's `init` do). */
  create?: boolean;
  /** Optional path to an Electron-ABI build of better-sqlite3 (see scripts/electron-native.mjs). */
  nativeBinding?: string;
}

/**
 * Opens a project database with the pragmas every connection needs, then brings its schema up to
 * date. synchronous=FULL because an acknowledged annotation must survive a crash or power cut; the
 * cost (one fsync per commit) is invisible next to a human's pace of annotation.
 */
export function openDb(file: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: !(options.create ?? false),
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (e) {
    throw new PlanterError('not-found', `cannot open project database ${file}: ${(e as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 15000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db);
    else checkVersion(db);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof PlanterError) throw e;
    throw new PlanterError('bad-file', `${file} is not a readable Planter project: ${(e as Error).message}`, { file });
  }
}

function checkVersion(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new PlanterError(
      'unavailable',
      `this project was written by a newer Planter (schema ${version}; this version knows up to ${SCHEMA_VERSION})`,
    );
  }
}

/** Applies every pending migration in one transaction: a failure leaves the old schema intact. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  checkVersion(db);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (!migrations.some((m) => m.version > current)) return current;
  // Decide what is pending again under the write lock: another process (a second window, the CLI)
  // may have migrated since the read above, and re-running its migration would fail the open.
  return db
    .transaction((): number => {
      checkVersion(db);
      const locked = db.pragma('user_version', { simple: true }) as number;
      const pending = migrations.filter((m) => m.version > locked);
      for (const m of pending) {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      }
      return pending.length ? pending[pending.length - 1]!.version : locked;
    })
    .immediate();
}

/**
 * Runs `f` inside one read transaction, so every query it makes sees the same snapshot of the
 * database while other connections write (WAL). A throw ends the transaction and is rethrown.
 */
export function inReadSnapshot<T>(db: Db, f: () => T): T {
  return db.transaction(f)();
}

export function nowIso(): string {
  return new Date().toISOString();
}
