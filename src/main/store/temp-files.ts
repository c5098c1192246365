import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** True while a process with this id exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temp files of a project carry the id of the process writing them: import staging databases
 * (`tmp/import-<pid>-<hex>.sqlite`), atomic-write temps (`.<name>.<pid>.<hex>.tmp` in exports/,
 * checkpoints/ and cache/). A process killed mid-write leaves them behind — a staging database is as large as
 * the corpus it held — so opening a project removes those whose process is gone. A live process's
 * files (another window on the same project) are never touched.
 */
export const TEMP_PATTERNS: readonly { dir: string; pattern: RegExp; recursive: boolean }[] = [
  { dir: 'tmp', pattern: /^import-(\d+)-[0-9a-f]+\.sqlite(?:-journal|-wal|-shm)?$/, recursive: false },
  { dir: 'exports', pattern: /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/, recursive: false },
  { dir: 'checkpoints', pattern: /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/, recursive: true },
  { dir: 'cache', pattern: /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/, recursive: false },
];

/** Removes temp files left by processes that no longer run; returns their paths. */
export function sweepDeadTempFiles(projectDir: string): string[] {
  const removed: string[] = [];
  for (const { dir, pattern, recursive } of TEMP_PATTERNS) {
    const base = join(projectDir, dir);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true, recursive })) {
      const m = pattern.exec(entry.name);
      if (!m || !entry.isFile() || processAlive(Number(m[1]))) continue;
      const path = join(entry.parentPath, entry.name);
      try {
        rmSync(path, { force: true });
        removed.push(path);
      } catch {
        /* best effort: a file we cannot remove stays, harmlessly hidden */
      }
    }
  }
  return removed;
}
