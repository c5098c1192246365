import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository (or packaged app) root: the nearest folder above this module whose package.json
 * is Planter's. Works from src/ under vitest and from out/main/ when built.
 */
export function appRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'planter') return dir;
      } catch {
        /* not ours; keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find Planter's package.json above ${from}`);
    dir = up;
  }
}

export function appVersion(root = appRoot()): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

export function resourcesDir(root = appRoot()): string {
  return join(root, 'resources');
}

export function rendererDir(root = appRoot()): string {
  return join(root, 'out', 'renderer');
}

/** Browser mode and the CLI keep projects in $PLANTER_HOME, or ~/.planter. */
export function defaultDataDir(): string {
  return process.env.PLANTER_HOME ? resolve(process.env.PLANTER_HOME) : join(homedir(), '.planter');
}
