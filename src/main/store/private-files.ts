/**
 * Project files are clinical annotations: private to the account that owns them, whatever the
 * umask (with the common 022, `planter init` made 0755 folders and 0644 files another local
 * account could read, issue #15). Folders 0700, files 0600; set explicitly, because a mode passed
 * to mkdir or open is only ever narrowed by the umask, and existing files keep theirs.
 */
import { chmodSync, closeSync, existsSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder when missing (parents too) and makes it 0700. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates an empty file readable by its owner only (before SQLite or a writer opens it), or narrows an existing one. */
export function privateFile(file: string): void {
  const fd = openSync(file, 'a', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** Narrows a file that may exist (a database's -wal and -shm); a missing one is left missing. */
export function narrowIfPresent(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Every folder below `dir` 0700 and every file 0600 (links are left alone); for files written by code that sets no mode. */
export function privatiseTree(dir: string): void {
  if (!existsSync(dir)) return;
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) privatiseTree(path);
    else if (entry.isFile() && (lstatSync(path).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
  }
}
