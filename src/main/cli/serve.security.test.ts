/**
 * `planter serve` keeps its secrets from other local accounts (issue #7): the URL file that carries
 * the token is readable by the user only, even when a file (or a link) was there before, and a data
 * folder it creates is private. Runs the built CLI as a child process.
 */
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../app/services';
import { resourcesDir } from '../app/paths';
import { ensureBuilt, startServiceProcess } from '../testing/reliability/service-process';
import { emptyTally, report } from '../testing/reliability/tally';

const tally = emptyTally();
let root: string;
beforeAll(() => {
  ensureBuilt((m) => console.warn(`[serve.security] ${m}`));
  root = mkdtempSync(join(tmpdir(), 'planter-serve-sec-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  report('serve-security', { unauthorized_accepted: tally.unauthorized_accepted });
});

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('planter serve --url-file', () => {
  it('writes the token-bearing URL readable by this user only, also over a file that was world-readable', async () => {
    const urlFile = join(root, 'url.txt');
    writeFileSync(urlFile, 'stale\n');
    chmodSync(urlFile, 0o644);
    const proc = await startServiceProcess({ dataDir: join(root, 'data-a'), urlFile });
    try {
      if (mode(urlFile) & 0o077) tally.unauthorized_accepted++;
      expect(mode(urlFile).toString(8)).toBe('600');
      expect(readFileSync(urlFile, 'utf8')).toContain(`#token=${proc.token}`);
    } finally {
      await proc.stop();
    }
  });

  it('never writes the token through a link someone planted at that path', async () => {
    const bait = join(root, 'bait.txt');
    writeFileSync(bait, 'attacker-readable\n');
    chmodSync(bait, 0o666);
    const urlFile = join(root, 'link.txt');
    symlinkSync(bait, urlFile);
    const proc = await startServiceProcess({ dataDir: join(root, 'data-b'), urlFile });
    try {
      const leaked = readFileSync(bait, 'utf8').includes(proc.token);
      if (leaked) tally.unauthorized_accepted++;
      expect(leaked).toBe(false);
      expect(lstatSync(urlFile).isSymbolicLink()).toBe(false);
      expect(mode(urlFile).toString(8)).toBe('600');
    } finally {
      await proc.stop();
    }
  });
});

describe('the data folder', () => {
  it('a data folder the services create is private to the user (0700)', async () => {
    const dataDir = join(root, 'fresh', 'planter-home');
    const services = createServices({ dataDir, resourcesDir: resourcesDir(), version: 'test' });
    try {
      expect(existsSync(dataDir)).toBe(true);
      if (mode(dataDir) & 0o077) tally.unauthorized_accepted++;
      expect(mode(dataDir).toString(8)).toBe('700');
    } finally {
      await services.dispose();
    }
  });
});
