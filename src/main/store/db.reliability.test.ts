/**
 * Store reliability: two processes opening one project (two windows, or the app and the CLI), and
 * what a killed process leaves behind.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, openDb, SCHEMA_VERSION } from './db';
import { ProjectStore } from './project-store';
import { processAlive, sweepDeadTempFiles } from './temp-files';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'planter-db-rel-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited (and, on a busy machine, has not been reused yet). */
function deadPid(): number {
  for (;;) {
    const pid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    if (!processAlive(Number(pid))) return Number(pid);
  }
}

describe('migrations when two processes open an old project at once', () => {
  it('the second to get the write lock finds the work done instead of failing on "table already exists"', () => {
    const file = join(dir, 'p.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.slice(0, 1));
    old.close();
    const a = new Database(file);
    const b = new Database(file);
    a.pragma('busy_timeout = 2000');
    b.pragma('busy_timeout = 2000');
    // Interleave deterministically: `a` has read the version and decided to migrate; just before it
    // takes the write lock, `b` (the other process) migrates first.
    let raced = false;
    const transaction = a.transaction.bind(a);
    a.transaction = ((fn: Parameters<typeof transaction>[0]) => {
      if (!raced) {
        raced = true;
        migrate(b, MIGRATIONS);
      }
      return transaction(fn);
    }) as typeof a.transaction;
    expect(() => migrate(a, MIGRATIONS)).not.toThrow();
    expect(raced).toBe(true);
    expect(a.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    a.close();
    b.close();
  });

  it('a project opened by two connections keeps working for both (WAL, busy_timeout)', () => {
    const file = join(dir, 'q.sqlite');
    const a = openDb(file, { create: true });
    const b = openDb(file);
    expect(b.pragma('busy_timeout', { simple: true })).toBe(15000);
    expect(a.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.pragma('synchronous', { simple: true })).toBe(2); // FULL
    a.prepare("INSERT INTO meta (key, value) VALUES ('a', '1')").run();
    b.prepare("INSERT INTO meta (key, value) VALUES ('b', '2')").run();
    expect(a.prepare('SELECT COUNT(*) FROM meta').pluck().get()).toBe(2);
    a.close();
    b.close();
  });
});

describe('temp files of killed processes', () => {
  it('opening a project removes staging databases and half-written temps of dead processes, never a live one', () => {
    const store = ProjectStore.create(join(dir, 'p'), 'p');
    store.close();
    const dead = deadPid();
    const live = process.pid;
    const files = {
      deadStaging: join(dir, 'p', 'tmp', `import-${dead}-0123456789ab.sqlite`),
      liveStaging: join(dir, 'p', 'tmp', `import-${live}-0123456789ab.sqlite`),
      deadExport: join(dir, 'p', 'exports', `.annotations.jsonl.${dead}.0a1b2c3d.tmp`),
      liveExport: join(dir, 'p', 'exports', `.annotations.jsonl.${live}.0a1b2c3d.tmp`),
      deadCheckpoint: join(dir, 'p', 'checkpoints', 'full-abc', `.finetune.ckpt.${dead}.deadbeef.tmp`),
      deadCache: join(dir, 'p', 'cache', `.keyword-labels.bin.${dead}.0a1b2c3d.tmp`),
      keptCache: join(dir, 'p', 'cache', 'keyword-labels.bin'),
      visibleExport: join(dir, 'p', 'exports', 'annotations.jsonl'),
      userFile: join(dir, 'p', 'exports', `.notes.${dead}.txt`),
    };
    for (const f of Object.values(files)) {
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, 'x');
    }
    const reopened = ProjectStore.open(join(dir, 'p'));
    reopened.close();
    expect(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, existsSync(f)]))).toEqual({
      deadStaging: false,
      liveStaging: true,
      deadExport: false,
      liveExport: true,
      deadCheckpoint: false,
      deadCache: false,
      keptCache: true,
      visibleExport: true,
      userFile: true,
    });
    expect(sweepDeadTempFiles(join(dir, 'p'))).toEqual([]);
  });
});
