import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file so that readers see the old content or the new, never a torn one: write a sibling
 * temp file, fsync it, rename over the target, fsync the folder (so the rename itself is durable).
 */
export class AtomicFileWriter {
  readonly target: string;
  readonly #tmp: string;
  #fd: number;
  #done = false;

  constructor(target: string) {
    this.target = target;
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    // The pid lets a later start remove the temp file of a process killed mid-write (store/temp-files.ts).
    this.#tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    // Exports and model files hold the coders' project data: readable by their owner only, whatever the umask.
    this.#fd = openSync(this.#tmp, 'w', 0o600);
    fchmodSync(this.#fd, 0o600);
  }

  write(chunk: string | Uint8Array): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let off = 0;
    while (off < buf.length) off += writeSync(this.#fd, buf, off, buf.length - off);
  }

  commit(): void {
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    renameSync(this.#tmp, this.target);
    fsyncDir(dirname(this.target));
    this.#done = true;
  }

  abort(): void {
    if (this.#done) return;
    try {
      closeSync(this.#fd);
    } catch {
      /* already closed */
    }
    rmSync(this.#tmp, { force: true });
    this.#done = true;
  }
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeFileAtomic(target: string, content: string | Uint8Array): void {
  const w = new AtomicFileWriter(target);
  try {
    w.write(content);
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
}
