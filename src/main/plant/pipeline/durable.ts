import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/**
 * Writes a file and fsyncs it, so a power cut after the folder it sits in is renamed into place
 * cannot leave it empty (a rename is durable only for data already on disk).
 */
export function writeFileDurable(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
