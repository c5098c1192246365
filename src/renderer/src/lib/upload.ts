import { MAX_UPLOAD_CHUNK_BYTES } from '../../../shared/contract';
import type { Api } from '../api/api';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

/**
 * Hands a user-picked file to the main side in 4 MiB chunks (the same calls over IPC and HTTP),
 * staged for the project it will be imported into.
 * Returns the upload id an import then consumes.
 */
export async function uploadFile(api: Api, projectId: string, file: File, onProgress: (sentBytes: number, totalBytes: number) => void, signal?: AbortSignal): Promise<string> {
  const { uploadId } = await api.call('uploads.begin', { projectId, fileName: file.name, sizeBytes: file.size });
  try {
    for (let offset = 0; offset < file.size; offset += MAX_UPLOAD_CHUNK_BYTES) {
      if (signal?.aborted) throw new DOMException('upload cancelled', 'AbortError');
      const chunk = new Uint8Array(await file.slice(offset, offset + MAX_UPLOAD_CHUNK_BYTES).arrayBuffer());
      await api.call('uploads.append', { uploadId, offset, dataBase64: toBase64(chunk) });
      onProgress(Math.min(offset + chunk.length, file.size), file.size);
    }
    await api.call('uploads.finish', { uploadId });
    return uploadId;
  } catch (e) {
    void api.call('uploads.discard', { uploadId }).catch(() => undefined);
    throw e;
  }
}
