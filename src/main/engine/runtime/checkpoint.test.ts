import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint';
import type { Checkpoint } from './checkpoint';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'planter-ckpt-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const sample = (v: number): Checkpoint => ({
  meta: { step: v, note: 'ü' },
  tensors: { a: { shape: [2, 3], data: Float32Array.from({ length: 6 }, (_, i) => i + v) }, b: { shape: [1], data: Float32Array.of(-v) } },
});

describe('checkpoint files', () => {
  it('round-trips tensors and meta', async () => {
    const f = path.join(dir, 'c.ckpt');
    await writeCheckpoint(f, sample(1));
    const c = await readCheckpoint(f);
    expect(c.meta).toEqual({ step: 1, note: 'ü' });
    const { a, b } = c.tensors;
    expect(Array.from(a?.data ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a?.shape).toEqual([2, 3]);
    expect(Array.from(b?.data ?? [])).toEqual([-1]);
  });

  it('rejects a truncated file with a clear error', () => {
    const buf = encodeCheckpoint(sample(1));
    expect(() => decodeCheckpoint(buf.subarray(0, buf.length - 7), 'x.ckpt')).toThrow(/x\.ckpt: .*bytes, expected/);
    expect(() => decodeCheckpoint(buf.subarray(0, 10), 'x.ckpt')).toThrow(CheckpointError);
  });

  it('rejects a flipped byte (checksum) and a foreign file (magic)', () => {
    const buf = Buffer.from(encodeCheckpoint(sample(1)));
    buf[buf.length - 10]! ^= 0xff; // inside the buffer: the file is longer than 10 bytes
    expect(() => decodeCheckpoint(buf, 'x.ckpt')).toThrow(/checksum mismatch/);
    expect(() => decodeCheckpoint(Buffer.from('PK\u0003\u0004 this is a zip file, not a checkpoint'), 'x.ckpt')).toThrow(/bad magic/);
  });

  it('a missing file is a CheckpointError naming it', async () => {
    await expect(readCheckpoint(path.join(dir, 'none.ckpt'))).rejects.toThrow(/none\.ckpt: cannot be read \(ENOENT\)/);
  });

  for (const failAt of ['write', 'rename'] as const) {
    it(`a failed write (${failAt}) leaves the previous checkpoint intact and no temp file`, async () => {
      const f = path.join(dir, 'c.ckpt');
      await writeCheckpoint(f, sample(1));
      await expect(writeCheckpoint(f, sample(2), { failAt })).rejects.toThrow(/injected/);
      expect((await readCheckpoint(f)).meta.step).toBe(1);
      expect(await fs.readdir(dir)).toEqual(['c.ckpt']);
    });
  }
});
