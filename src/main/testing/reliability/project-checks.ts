/**
 * What must hold for a project folder after a crash, checked from outside the app: the database
 * passes SQLite's own checks, every artefact a user can see (export, model, bundle, checkpoint) is
 * whole, and what temp files remain.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoint } from '../../engine/runtime/checkpoint';
import { CSV_HEADER } from '../../exporters/annotations';
import { loadBundle } from '../../plant/pipeline/bundle';
import { readModelDir } from '../../plant/pipeline/model-files';
import { DB_FILE } from '../../store/project-store';
import { TEMP_PATTERNS } from '../../store/temp-files';

export interface IntegrityResult {
  ok: boolean;
  problems: string[];
}

/**
 * `PRAGMA integrity_check` and `foreign_key_check` on a second connection (the app may be running:
 * WAL lets a reader in). Opening it is also the check that the file is a database at all.
 */
export function checkDatabase(projectDir: string): IntegrityResult {
  const problems: string[] = [];
  let db: Database.Database | null = null;
  try {
    db = new Database(join(projectDir, DB_FILE), { fileMustExist: true });
    db.pragma('busy_timeout = 15000');
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') problems.push(`integrity_check: ${integrity.map((r) => r.integrity_check).join('; ').slice(0, 500)}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length) problems.push(`foreign_key_check: ${fk.length} rows, e.g. ${JSON.stringify(fk[0])}`);
  } catch (e) {
    problems.push(`cannot open: ${(e as Error).message}`);
  } finally {
    db?.close();
  }
  return { ok: problems.length === 0, problems };
}

/** Runs read-only queries on a second connection. */
export function withDb<T>(projectDir: string, f: (db: Database.Database) => T): T {
  const db = new Database(join(projectDir, DB_FILE), { fileMustExist: true });
  db.pragma('busy_timeout = 15000');
  try {
    return f(db);
  } finally {
    db.close();
  }
}

/**
 * Temp files and folders left under a project, relative paths: `swept` are those a restart must
 * have removed (store/temp-files.ts: staging databases, atomic-write temps of a dead process);
 * `other` are hidden temp folders nothing removes (model and bundle folders being written).
 */
export function leftoverTempFiles(projectDir: string): { swept: string[]; other: string[] } {
  const swept: string[] = [];
  const other: string[] = [];
  for (const kind of ['models', 'checkpoints', 'exports', 'tmp']) {
    const dir = join(projectDir, kind);
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      const rel = join(e.parentPath, e.name).slice(projectDir.length + 1);
      if (rel.split('/').slice(0, -1).some((part) => part.endsWith('.tmp'))) continue; // inside a temp folder
      const rule = TEMP_PATTERNS.find((t) => t.dir === kind && t.pattern.test(e.name));
      if (rule && e.isFile()) swept.push(rel);
      else if (/^\..*\.tmp$/.test(e.name) || kind === 'tmp') other.push(rel);
    }
  }
  return { swept: swept.sort(), other: other.sort() };
}

/** Every visible file of an annotation export must be complete: each line JSON (or CSV), ending in a newline. */
export function checkExportFile(file: string): string | null {
  const text = readFileSync(file, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) return `${file}: does not end with a newline (torn)`;
  if (file.endsWith('.jsonl')) {
    const lines = text.split('\n').slice(0, -1);
    for (let i = 0; i < lines.length; i++) {
      try {
        const v = JSON.parse(lines[i]!) as { id?: unknown };
        if (typeof v.id !== 'string') return `${file} line ${i + 1}: no id`;
      } catch {
        return `${file} line ${i + 1}: not JSON (torn)`;
      }
    }
  } else if (file.endsWith('.csv') && !text.startsWith(CSV_HEADER)) return `${file}: no CSV header`;
  return null;
}

/** Visible artefacts under exports/: annotation files and model bundles, each whole. */
export function checkExports(projectDir: string): string[] {
  const dir = join(projectDir, 'exports');
  if (!existsSync(dir)) return [];
  const problems: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      try {
        loadBundle(path);
      } catch (e) {
        problems.push(`bundle ${name}: ${(e as Error).message}`);
      }
    } else {
      const p = checkExportFile(path);
      if (p) problems.push(p);
    }
  }
  return problems;
}

/** Every stage output and training checkpoint under checkpoints/ must decode (they are written atomically). */
export async function checkCheckpoints(projectDir: string): Promise<{ files: number; problems: string[] }> {
  const dir = join(projectDir, 'checkpoints');
  if (!existsSync(dir)) return { files: 0, problems: [] };
  const problems: string[] = [];
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || e.name.startsWith('.') || !/\.(ckpt|done)$/.test(e.name)) continue;
    files++;
    try {
      await readCheckpoint(join(e.parentPath, e.name));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return { files, problems };
}

/** A recorded model folder must read back whole. */
export async function checkModelDir(dir: string): Promise<string | null> {
  try {
    await readModelDir(dir);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
