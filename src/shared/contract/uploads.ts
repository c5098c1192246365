import { z } from 'zod';
import { ProjectId, type MethodTable } from './common';

/** Upload ids are random; files are staged on the main side until imported or discarded. */
export const UploadId = z.string().regex(/^up-[a-z0-9]{8,64}$/);

/** One chunk is at most 4 MiB of raw bytes (about 5.6 MB as base64). */
export const MAX_UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** Largest file the UI can hand over (the CLI reads files directly and has no such limit). */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;
/** Uploads a project may have staged (begun and not yet imported or discarded) at once. */
export const MAX_UPLOADS_PER_PROJECT = 8;
/** Bytes those staged uploads of one project may announce in all. */
export const MAX_UPLOAD_BYTES_PER_PROJECT = 8 * 1024 * 1024 * 1024;

const FileName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[\\/]/.test(n) && n !== '.' && n !== '..', 'a file name, not a path');

export const uploadMethods = {
  /** Staged per project, within MAX_UPLOADS_PER_PROJECT and MAX_UPLOAD_BYTES_PER_PROJECT. */
  'uploads.begin': {
    input: z.object({ projectId: ProjectId, fileName: FileName, sizeBytes: z.number().int().min(0).max(MAX_UPLOAD_BYTES) }).strict(),
    output: z.object({ uploadId: UploadId }),
  },
  'uploads.append': {
    input: z
      .object({
        uploadId: UploadId,
        offset: z.number().int().min(0),
        dataBase64: z.string().max(Math.ceil((MAX_UPLOAD_CHUNK_BYTES * 4) / 3) + 4),
      })
      .strict(),
    output: z.object({ receivedBytes: z.number().int().min(0) }),
  },
  'uploads.finish': {
    input: z.object({ uploadId: UploadId }).strict(),
    output: z.object({ uploadId: UploadId, sizeBytes: z.number().int().min(0) }),
  },
  'uploads.discard': { input: z.object({ uploadId: UploadId }).strict(), output: z.object({}) },
} as const satisfies MethodTable;
