import { z } from 'zod';
import { ProjectId, type MethodTable } from './common';
import { MAX_UPLOAD_CHUNK_BYTES } from './uploads';

/**
 * A file under the project's exports/ folder, as exports name it: `annotations.jsonl`, or one
 * folder deep for a model bundle (`planter-model-3/model.onnx`). Nothing else can be named.
 */
export const ExportFile = z
  .string()
  .min(1)
  .max(250)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/, 'a file of the exports folder: a plain name, or folder/name');

export const downloadMethods = {
  /**
   * Reads an exported file in chunks (base64), so that browser mode can save it where the user
   * chooses: the web host writes exports only into the project's folder on its own disk (issue #14).
   * @example { projectId: 'demo', file: 'annotations.jsonl', offset: 0 }
   */
  'exports.download': {
    input: z
      .object({
        projectId: ProjectId,
        file: ExportFile,
        offset: z.number().int().min(0).default(0),
        length: z.number().int().min(1).max(MAX_UPLOAD_CHUNK_BYTES).default(MAX_UPLOAD_CHUNK_BYTES),
      })
      .strict(),
    output: z.object({ dataBase64: z.string(), sizeBytes: z.number().int().min(0), done: z.boolean() }),
  },
} as const satisfies MethodTable;
