import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat, open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { PlanterError } from '../../shared/errors';

export interface Line {
  /** 1-based line number in the (decompressed) file. */
  line: number;
  /** Without its line ending. */
  text: string;
  /** Set when the line ended with CRLF: the CR was stripped, but a quoted CSV field must keep it. */
  crlf?: true;
}

export interface ReadProgress {
  /** Bytes of the file on disk consumed so far (compressed bytes for .gz). */
  doneBytes: number;
  totalBytes: number;
}

export interface ReadLinesOptions {
  /** Name used in error messages (the user's file name, not a staging path). */
  displayName?: string;
  /** A longer line is rejected rather than buffered without bound. */
  maxLineBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: ReadProgress) => void;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;

/** True when the file starts with gzip's magic bytes; the extension is not trusted. */
export async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * A `bad-file` error that says where: `notes.jsonl line 2: field "text" is missing`. The field is
 * named in the message unless the message names it already (issue #14: "line 2: is missing" left
 * the reader guessing which field).
 */
export function badFile(file: string, line: number | undefined, message: string, field?: string): PlanterError {
  const where = line === undefined ? file : `${file} line ${line}`;
  if (field !== undefined && !message.includes(`"${field}"`)) message = /^(is|are|must|has|holds|looks|contains)\b/.test(message) ? `field "${field}" ${message}` : `field "${field}": ${message}`;
  const details: { file: string; line?: number; field?: string } = { file };
  if (line !== undefined) details.line = line;
  if (field !== undefined) details.field = field;
  return new PlanterError('bad-file', `${where}: ${message}`, details);
}

/** Index of the first byte that breaks UTF-8, or -1. Only called once a line failed to decode. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function decodeLine(bytes: Buffer, file: string, line: number): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const at = firstInvalidUtf8Byte(bytes);
  throw badFile(file, line, `is not valid UTF-8 (byte ${at + 1} of the line is 0x${bytes[Math.max(at, 0)]!.toString(16)}); save the file as UTF-8`);
}

export interface ReadChunksOptions extends ReadLinesOptions {
  /**
   * Refuse a file whose (decompressed) content is larger: a few hundred KB of .gz can unpack to
   * gigabytes. Default: no limit (line formats bound each line instead).
   */
  maxBytes?: number;
}

/** Formats a byte count for messages: "1 GiB", "150 MiB". */
export function bytesText(n: number): string {
  if (n >= 2 ** 30) return `${Math.round((n / 2 ** 30) * 10) / 10} GiB`;
  if (n >= 2 ** 20) return `${Math.round(n / 2 ** 20)} MiB`;
  return `${n} bytes`;
}

/**
 * Streams a file's (decompressed) bytes in chunks: transparently gunzipping, refusing UTF-16,
 * reporting progress on the bytes read from disk, honouring cancellation and `maxBytes`.
 * `lineOf()` gives the line a failure is at (for a damaged gzip stream).
 */
export async function* readChunks(file: string, options: ReadChunksOptions = {}, lineOf: () => number = () => 1): AsyncGenerator<Buffer> {
  const name = options.displayName ?? basename(file);
  const totalBytes = (await stat(file)).size;
  // Decide on gunzip before the stream exists: a 'data' listener would start the flow early.
  const gz = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  let doneBytes = 0;
  let outBytes = 0;
  let source: NodeJS.ReadableStream = raw;
  if (gz) {
    const gunzip = createGunzip();
    source = raw.pipe(gunzip);
    raw.on('data', (chunk: string | Buffer) => {
      doneBytes += chunk.length;
    });
    raw.on('error', (e) => gunzip.destroy(e));
  }
  let first = true;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (!gz) doneBytes += chunk.length;
      outBytes += chunk.length;
      if (options.signal?.aborted) throw new PlanterError('cancelled', 'import cancelled');
      if (options.maxBytes !== undefined && outBytes > options.maxBytes) {
        throw badFile(name, undefined, `${gz ? 'decompresses to' : 'is'} more than ${bytesText(options.maxBytes)}, the limit for a file of this format${gz ? ' (a damaged or hostile archive can unpack to far more than it holds)' : ''}`);
      }
      if (first) {
        first = false;
        if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
          throw badFile(name, 1, 'is UTF-16 encoded; save the file as UTF-8');
        }
      }
      yield chunk;
      options.onProgress?.({ doneBytes, totalBytes });
    }
  } catch (e) {
    if (e instanceof PlanterError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (gz && (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end|incorrect header/i.test(String(e)))) {
      throw badFile(name, lineOf(), `the gzip stream is damaged or truncated (${(e as Error).message})`);
    }
    throw badFile(name, undefined, `cannot be read: ${(e as Error).message}`);
  } finally {
    raw.destroy();
  }
  options.onProgress?.({ doneBytes: totalBytes, totalBytes });
}

/**
 * Streams a text file line by line with bounded memory, transparently gunzipping, checking UTF-8
 * per line (so an encoding error names its line), stripping a UTF-8 BOM and CRLF endings.
 * Splitting on the byte 0x0A is safe in UTF-8: it never occurs inside a multi-byte character.
 */
export async function* readLines(file: string, options: ReadLinesOptions = {}): AsyncGenerator<Line> {
  const name = options.displayName ?? basename(file);
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let lineNo = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of readChunks(file, options, () => lineNo + 1)) {
    let start = 0;
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, i);
      const bytes = pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      lineNo++;
      if (bytes.length > maxLine) throw badFile(name, lineNo, `is ${bytes.length} bytes long; the limit is ${maxLine} bytes per line`);
      yield toLine(decodeLine(bytes, name, lineNo), lineNo);
      start = i + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLine) throw badFile(name, lineNo + 1, `is longer than the limit of ${maxLine} bytes per line`);
    }
  }
  if (pendingBytes > 0) {
    lineNo++;
    yield toLine(decodeLine(Buffer.concat(pending), name, lineNo), lineNo);
  }
}

function toLine(text: string, line: number): Line {
  const crlf = text.endsWith('\r');
  let t = crlf ? text.slice(0, -1) : text;
  if (line === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  return crlf ? { line, text: t, crlf } : { line, text: t };
}
