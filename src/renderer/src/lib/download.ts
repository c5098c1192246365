import type { Api } from '../api/api';

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Fetches an exported file (`exports.download`, 4 MiB a call) and hands it to the browser as a
 * download, so browser mode can save exports where the user wants them, not only into the
 * server's project folder. `file` is the export's name under exports/ (`folder/name` for a bundle).
 */
export async function downloadExport(api: Api, projectId: string, file: string, onProgress?: (done: number, total: number) => void): Promise<void> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (;;) {
    const r = await api.call('exports.download', { projectId, file, offset });
    const chunk = fromBase64(r.dataBase64);
    parts.push(chunk);
    offset += chunk.length;
    onProgress?.(offset, r.sizeBytes);
    if (r.done || chunk.length === 0) break;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/octet-stream' }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = file.split('/').pop() ?? file;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // After the click the browser holds its own reference to the data.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
