import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanterError } from '../../shared/errors';
import { expectBadFile } from './fixtures/harness';
import { firstInvalidUtf8Byte, isGzip, readChunks, readLines, type Line, type ReadLinesOptions } from './read-lines';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'planter-read-lines-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function collect(path: string, options: ReadLinesOptions = {}): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of readLines(path, options)) out.push(l);
  return out;
}

const texts = (lines: Line[]): string[] => lines.map((l) => l.text);

describe('readLines on good files', () => {
  it('numbers lines from 1, strips CRLF and LF (marking CRLF), and keeps a last line that has no newline', async () => {
    const lines = await collect(file('mixed.txt', 'one\r\ntwo\n\nfour\r\nfive'));
    expect(lines).toEqual([
      { line: 1, text: 'one', crlf: true },
      { line: 2, text: 'two' },
      { line: 3, text: '' },
      { line: 4, text: 'four', crlf: true },
      { line: 5, text: 'five' },
    ]);
  });

  it('strips a UTF-8 BOM on line 1 only', async () => {
    const lines = await collect(file('bom.txt', '\ufeffid,text\n\ufeffkept\n'));
    expect(texts(lines)).toEqual(['id,text', '\ufeffkept']);
  });

  it('reads a 0-byte file as no lines at all', async () => {
    expect(await collect(file('empty.txt', ''))).toEqual([]);
  });

  it('gunzips by magic bytes, not by extension', async () => {
    const content = 'héllo\nwörld\n';
    const gzNamedTxt = file('really-gzip.txt', gzipSync(content));
    const plainNamedGz = file('not-gzip.jsonl.gz', content);
    expect(await isGzip(gzNamedTxt)).toBe(true);
    expect(await isGzip(plainNamedGz)).toBe(false);
    expect(texts(await collect(gzNamedTxt))).toEqual(['héllo', 'wörld']);
    expect(texts(await collect(plainNamedGz))).toEqual(['héllo', 'wörld']);
  });

  it('keeps lines and multi-byte characters whole across 1 MiB read chunks (plain and gzip)', async () => {
    // The reader pulls 1 MiB chunks (gunzip: 16 KiB): put a 2-byte "é" and a 4-byte emoji right on
    // the first chunk boundary and one line spanning several chunks.
    const chunk = 1 << 20;
    const first = `${'a'.repeat(chunk - 1)}é😀`;
    const long = 'b'.repeat(3 * chunk + 17);
    const content = `${first}\n${long}\r\nshort\n`;
    for (const path of [file('chunks.txt', content), file('chunks.bin', gzipSync(content))]) {
      const lines = await collect(path);
      expect(lines.map((l) => l.text.length)).toEqual([first.length, long.length, 5]);
      expect(lines[0]!.text.endsWith('aé😀')).toBe(true);
      expect(lines[2]).toEqual({ line: 3, text: 'short' });
    }
  });

  it('reports progress in file bytes, ending at the file size', async () => {
    const path = file('progress.txt', 'x\n'.repeat(1000));
    const seen: number[] = [];
    await collect(path, { onProgress: (p) => seen.push(p.doneBytes / p.totalBytes) });
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('readChunks gunzips, and refuses past its decompressed-size cap, naming the file', async () => {
    const chunks = async (path: string, maxBytes?: number): Promise<string> => {
      const out: Buffer[] = [];
      for await (const c of readChunks(path, { displayName: 'bomb.json.gz', ...(maxBytes ? { maxBytes } : {}) })) out.push(c);
      return Buffer.concat(out).toString('utf8');
    };
    expect(await chunks(file('whole.gz', gzipSync('[\r\n  1,\r\n  2\r\n]')))).toBe('[\r\n  1,\r\n  2\r\n]');
    // 8 MiB of zeros gzip to a few KB: a small file that unpacks far past the cap.
    const bomb = file('bomb.gz', gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x30)));
    await expect(chunks(bomb, 1024 * 1024)).rejects.toThrow(/^bomb\.json\.gz: decompresses to more than 1 MiB, the limit for a file of this format \(a damaged or hostile archive/);
  });
});

describe('readLines on bad files', () => {
  it('Latin-1 bytes: names the line and the offending byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('fine\n'), Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]);
    await expectBadFile(collect(file('latin1.txt', latin1), { displayName: 'menu.csv' }), {
      file: 'menu.csv',
      line: 2,
      message: /menu\.csv line 2: is not valid UTF-8 \(byte 4 of the line is 0xe9\); save the file as UTF-8/,
    });
  });

  it('UTF-16 with a BOM (little and big endian) is refused on line 1', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"text":"a"}\n', 'utf16le')]);
    const be = Buffer.from(le.toString('utf16le'), 'utf16le').swap16();
    for (const [name, bytes] of [['le.jsonl', le], ['be.jsonl', be]] as const) {
      await expectBadFile(collect(file(name, bytes)), { file: name, line: 1, message: /is UTF-16 encoded; save the file as UTF-8/ });
    }
  });

  it('a truncated gzip stream is reported as damaged, after the lines that were intact', async () => {
    const gz = gzipSync(Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n'));
    const path = file('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const e = await expectBadFile(collect(path), { file: 'cut.jsonl.gz', message: /the gzip stream is damaged or truncated/ });
    expect(e.details?.line).toBeGreaterThan(1);
  });

  it('a gzip file with a corrupted body is reported as damaged', async () => {
    const gz = Buffer.from(gzipSync('hello world\n'.repeat(100)));
    gz.fill(0xff, 10, 30);
    await expectBadFile(collect(file('corrupt.gz', gz)), { file: 'corrupt.gz', message: /gzip stream is damaged or truncated/ });
  });

  it('a line over maxLineBytes is rejected with its length and the limit', async () => {
    const path = file('long.txt', `ok\n${'x'.repeat(2000)}\nok\n`);
    await expectBadFile(collect(path, { maxLineBytes: 1000 }), {
      file: 'long.txt',
      line: 2,
      message: /line 2: is 2000 bytes long; the limit is 1000 bytes per line/,
    });
  });

  it('a line over maxLineBytes that spans read chunks is rejected before it is buffered whole', async () => {
    const path = file('huge.txt', `ok\n${'y'.repeat(3 << 20)}\n`);
    await expectBadFile(collect(path, { maxLineBytes: 1 << 20 }), { file: 'huge.txt', line: 2, message: /is longer than the limit of 1048576 bytes per line/ });
  });

  it('an aborted signal stops reading with the cancelled outcome, not a bad-file error', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const err = await collect(file('abort.txt', 'a\nb\n'), { signal: ctrl.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanterError);
    expect((err as PlanterError).code).toBe('cancelled');
  });
});

describe('firstInvalidUtf8Byte', () => {
  it('finds the first byte that breaks UTF-8 (hand-made sequences)', () => {
    expect(firstInvalidUtf8Byte(Buffer.from('abc é 😀'))).toBe(-1);
    expect(firstInvalidUtf8Byte(Buffer.from([0x61, 0xe9, 0x62]))).toBe(1); // Latin-1 é then ASCII
    expect(firstInvalidUtf8Byte(Buffer.from([0x61, 0xc3]))).toBe(1); // sequence cut at the end
    expect(firstInvalidUtf8Byte(Buffer.from([0xc0, 0x80]))).toBe(0); // overlong lead byte
    expect(firstInvalidUtf8Byte(Buffer.from([0x61, 0x80]))).toBe(1); // stray continuation byte
  });
});
