import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * Checkpoint file format (little-endian):
 *   "PLNTCKPT" (8 bytes) | u32 version | u32 header byte length | header JSON (UTF-8, padded with
 *   spaces to a multiple of 4) | float32 blobs, in header order | u32 CRC-32 of all bytes before it.
 * The header lists each tensor's name, shape and byte offset within the blob area, and free-form `meta`.
 */
export const CHECKPOINT_MAGIC = 'PLNTCKPT';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointTensor { name: string; shape: number[]; offset: number; byteLength: number }

export interface Checkpoint {
  /** Free-form JSON data (model spec, optimizer state scalars, step, data cursor…). */
  meta: Record<string, unknown>;
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
}

/** A checkpoint that cannot be used; the message says which file and what is wrong. */
export class CheckpointError extends Error {
  constructor(file: string, problem: string) {
    super(`checkpoint ${file}: ${problem}`);
    this.name = 'CheckpointError';
  }
}

/** For tests: make the write fail at a given point, after the temp file exists. */
export interface FaultInjection { failAt?: 'write' | 'rename' }

export function encodeCheckpoint(c: Checkpoint): Buffer {
  let offset = 0;
  const entries: CheckpointTensor[] = Object.entries(c.tensors).map(([name, t]) => {
    const e = { name, shape: t.shape, offset, byteLength: t.data.byteLength };
    offset += t.data.byteLength;
    return e;
  });
  let header = Buffer.from(JSON.stringify({ meta: c.meta, tensors: entries }), 'utf8');
  if (header.length % 4) header = Buffer.concat([header, Buffer.alloc(4 - (header.length % 4), 0x20)]);
  const pre = Buffer.alloc(16);
  pre.write(CHECKPOINT_MAGIC, 0, 'latin1');
  pre.writeUInt32LE(CHECKPOINT_VERSION, 8);
  pre.writeUInt32LE(header.length, 12);
  const blobs = Object.values(c.tensors).map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  const body = Buffer.concat([pre, header, ...blobs]);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(crc32(body) >>> 0, 0);
  return Buffer.concat([body, tail]);
}

/** Parses and validates a checkpoint (magic, version, header, sizes, CRC); throws CheckpointError. */
export function decodeCheckpoint(buf: Buffer, file = '<buffer>'): Checkpoint {
  if (buf.length < 20) throw new CheckpointError(file, `truncated (${buf.length} bytes)`);
  if (buf.toString('latin1', 0, 8) !== CHECKPOINT_MAGIC) throw new CheckpointError(file, 'not a Planter checkpoint (bad magic)');
  const version = buf.readUInt32LE(8);
  if (version !== CHECKPOINT_VERSION) throw new CheckpointError(file, `unsupported version ${version} (expected ${CHECKPOINT_VERSION})`);
  const headerLen = buf.readUInt32LE(12);
  if (16 + headerLen + 4 > buf.length) throw new CheckpointError(file, 'truncated inside the header');
  let header: { meta: Record<string, unknown>; tensors: CheckpointTensor[] };
  try {
    header = JSON.parse(buf.toString('utf8', 16, 16 + headerLen));
  } catch {
    throw new CheckpointError(file, 'corrupt header (not JSON)');
  }
  if (!header || !Array.isArray(header.tensors)) throw new CheckpointError(file, 'corrupt header (no tensor list)');
  const blobStart = 16 + headerLen;
  const blobBytes = header.tensors.reduce((a, t) => a + t.byteLength, 0);
  const expected = blobStart + blobBytes + 4;
  if (buf.length !== expected) throw new CheckpointError(file, `${buf.length} bytes, expected ${expected} (truncated or padded)`);
  const stored = buf.readUInt32LE(buf.length - 4);
  const actual = crc32(buf.subarray(0, buf.length - 4)) >>> 0;
  if (stored !== actual) throw new CheckpointError(file, `checksum mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)}): the file is corrupt`);
  const tensors: Checkpoint['tensors'] = {};
  for (const t of header.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.byteLength !== n * 4 || t.offset + t.byteLength > blobBytes) throw new CheckpointError(file, `tensor ${t.name}: shape [${t.shape}] does not match ${t.byteLength} bytes`);
    // copy so the tensor is 4-byte aligned and independent of the file buffer
    const data = new Float32Array(n);
    new Uint8Array(data.buffer).set(buf.subarray(blobStart + t.offset, blobStart + t.offset + t.byteLength));
    tensors[t.name] = { shape: t.shape, data };
  }
  return { meta: header.meta ?? {}, tensors };
}

/**
 * Writes atomically: temp file in the same folder → fsync → rename over `file` → fsync the folder.
 * A crash or error at any point leaves either the previous checkpoint or the new one, never a mix.
 */
export async function writeCheckpoint(file: string, c: Checkpoint, fault: FaultInjection = {}): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const bytes = encodeCheckpoint(c);
  let renamed = false;
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      if (fault.failAt === 'write') throw new Error('injected write failure');
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (fault.failAt === 'rename') throw new Error('injected rename failure');
    await fs.rename(tmp, file);
    renamed = true;
    await syncDir(dir);
  } finally {
    if (!renamed) await fs.rm(tmp, { force: true });
  }
}

async function syncDir(dir: string): Promise<void> {
  // directories cannot be opened for fsync on Windows; the rename is still atomic there
  if (process.platform === 'win32') return;
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

export async function readCheckpoint(file: string): Promise<Checkpoint> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (e) {
    throw new CheckpointError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return decodeCheckpoint(buf, file);
}
