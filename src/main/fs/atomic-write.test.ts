import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtomicFileWriter, writeFileAtomic } from './atomic-write';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'planter-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AtomicFileWriter', () => {
  it('the target appears only on commit, with all chunks, and no temp file remains', () => {
    const target = join(dir, 'nested', 'out.txt');
    const w = new AtomicFileWriter(target);
    w.write('héllo ');
    w.write(new Uint8Array([0x77, 0x6f, 0x72, 0x6c, 0x64]));
    expect(readdirSync(join(dir, 'nested'))).toHaveLength(1); // only the hidden temp file
    expect(readdirSync(join(dir, 'nested'))[0]).toMatch(new RegExp(`^\\.out\\.txt\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    w.commit();
    expect(readFileSync(target, 'utf8')).toBe('héllo world');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['out.txt']);
  });

  it('abort removes the temp file and keeps the previous content; abort after commit is harmless', () => {
    const target = join(dir, 'keep.txt');
    writeFileSync(target, 'previous');
    const w = new AtomicFileWriter(target);
    w.write('half-written');
    w.abort();
    w.abort();
    expect(readFileSync(target, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['keep.txt']);

    const w2 = new AtomicFileWriter(target);
    w2.write('next');
    w2.commit();
    w2.abort();
    expect(readFileSync(target, 'utf8')).toBe('next');
  });

  it('writeFileAtomic replaces a file whole, and a failed rename leaves no temp file', () => {
    const target = join(dir, 'f.json');
    writeFileAtomic(target, '{"v":1}');
    writeFileAtomic(target, '{"v":2}');
    expect(readFileSync(target, 'utf8')).toBe('{"v":2}');
    // Renaming onto a non-empty folder fails: the error surfaces and the folder is left clean.
    const blocked = join(dir, 'blocked');
    writeFileAtomic(join(blocked, 'inside.txt'), 'x');
    expect(() => writeFileAtomic(blocked, 'y')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'f.json']);
  });
});
