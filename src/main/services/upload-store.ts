import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES_PER_PROJECT, MAX_UPLOADS_PER_PROJECT } from '../../shared/contract';
import { privateDir, privateFile } from '../store/private-files';
import { PlanterError } from '../../shared/errors';

interface Upload {
  projectId: string;
  fileName: string;
  sizeBytes: number;
  received: number;
  finished: boolean;
  writing?: boolean;
  path: string;
}

/**
 * Files handed over by the UI arrive in chunks (the same way over IPC and HTTP) and are staged on
 * disk until an import consumes them. Chunks must arrive in order; a gap is an error, not a hole.
 */
export class UploadStore {
  readonly #dir: string;
  readonly #uploads = new Map<string, Upload>();

  /** `root` is shared by every Planter process; each process stages under its own sub-folder. */
  constructor(root: string) {
    privateDir(root);
    removeOrphans(root);
    this.#dir = join(root, `${process.pid}-${randomBytes(4).toString('hex')}`);
    privateDir(this.#dir);
  }

  /**
   * Starts staging a file for a project. A project may hold MAX_UPLOADS_PER_PROJECT staged files
   * announcing MAX_UPLOAD_BYTES_PER_PROJECT in all: a page that loops on uploads.begin fills
   * neither the disk nor the table.
   */
  begin(projectId: string, fileName: string, sizeBytes: number): string {
    if (sizeBytes > MAX_UPLOAD_BYTES) throw new PlanterError('too-large', `${fileName} is larger than ${MAX_UPLOAD_BYTES} bytes`);
    const staged = [...this.#uploads.values()].filter((u) => u.projectId === projectId);
    if (staged.length >= MAX_UPLOADS_PER_PROJECT) {
      throw new PlanterError('conflict', `project ${projectId} already has ${staged.length} uploads waiting to be imported (the limit is ${MAX_UPLOADS_PER_PROJECT}); import or discard one first`);
    }
    const announced = staged.reduce((a, u) => a + u.sizeBytes, 0);
    if (announced + sizeBytes > MAX_UPLOAD_BYTES_PER_PROJECT) {
      throw new PlanterError('too-large', `${fileName}: project ${projectId}'s uploads waiting to be imported would hold ${announced + sizeBytes} bytes, over the limit of ${MAX_UPLOAD_BYTES_PER_PROJECT}; import or discard one first`);
    }
    const uploadId = `up-${randomBytes(10).toString('hex')}`;
    const path = join(this.#dir, `${uploadId}.part`);
    privateFile(path);
    this.#uploads.set(uploadId, { projectId, fileName, sizeBytes, received: 0, finished: false, path });
    return uploadId;
  }

  /** Uploads staged for a project (begun, not yet imported or discarded). */
  stagedFor(projectId: string): number {
    return [...this.#uploads.values()].filter((u) => u.projectId === projectId).length;
  }

  /**
   * Appends one chunk. The write is asynchronous: a synchronous 4 MiB write while an import's
   * worker keeps the disk busy held the host for most of a second (bench/scale.ts's stall probe).
   * Chunks come one at a time (the client awaits each); an overlapping one is refused.
   */
  async append(uploadId: string, offset: number, dataBase64: string): Promise<number> {
    const u = this.#get(uploadId);
    if (u.finished) throw new PlanterError('conflict', `upload of ${u.fileName} is already finished`);
    if (u.writing) throw new PlanterError('conflict', `upload of ${u.fileName}: the previous chunk is still being written`);
    if (offset !== u.received) throw new PlanterError('invalid-input', `upload of ${u.fileName}: expected offset ${u.received}, got ${offset}`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(dataBase64)) throw new PlanterError('invalid-input', 'upload chunk is not base64');
    const bytes = Buffer.from(dataBase64, 'base64');
    if (u.received + bytes.length > u.sizeBytes) throw new PlanterError('too-large', `upload of ${u.fileName} is longer than the announced ${u.sizeBytes} bytes`);
    u.writing = true;
    try {
      await appendFile(u.path, bytes);
    } finally {
      u.writing = false;
    }
    u.received += bytes.length;
    return u.received;
  }

  finish(uploadId: string): { sizeBytes: number } {
    const u = this.#get(uploadId);
    if (u.received !== u.sizeBytes) throw new PlanterError('invalid-input', `upload of ${u.fileName} is incomplete: ${u.received} of ${u.sizeBytes} bytes`);
    if (statSync(u.path).size !== u.sizeBytes) throw new PlanterError('internal', `upload of ${u.fileName} is damaged on disk`);
    u.finished = true;
    return { sizeBytes: u.sizeBytes };
  }

  /** The staged file of a finished upload, with the user's file name for messages; only for the project it was staged for. */
  file(uploadId: string, projectId: string): { path: string; fileName: string } {
    const u = this.#get(uploadId);
    if (u.projectId !== projectId) throw new PlanterError('not-found', `no upload ${uploadId} for project ${projectId}`);
    if (!u.finished) throw new PlanterError('conflict', `upload of ${u.fileName} is not finished`);
    return { path: u.path, fileName: u.fileName };
  }

  discard(uploadId: string): void {
    const u = this.#uploads.get(uploadId);
    if (!u) return;
    rmSync(u.path, { force: true });
    this.#uploads.delete(uploadId);
  }

  dispose(): void {
    for (const id of [...this.#uploads.keys()]) this.discard(id);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #get(uploadId: string): Upload {
    const u = this.#uploads.get(uploadId);
    if (!u) throw new PlanterError('not-found', `no upload ${uploadId}`);
    return u;
  }
}

/** Uploads never outlive the process that received them: remove folders of processes that are gone. */
function removeOrphans(root: string): void {
  for (const name of readdirSync(root)) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) rmSync(join(root, name), { recursive: true, force: true });
  }
}
