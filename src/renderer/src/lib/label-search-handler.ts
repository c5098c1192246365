import { buildIndexData, type LabelIndexData } from './label-index-data';
import type { BuildRequest } from './label-search-protocol';

/**
 * Builds the index data for a request: parses the catalogue (the raw reply in browser mode, so the
 * 12 MB JSON is parsed here, not on the UI thread) and builds the postings. Runs in the worker, or
 * on the UI thread where workers are unavailable.
 */
export function buildFromRequest(req: BuildRequest): { data: LabelIndexData; buildMs: number } {
  const t0 = performance.now();
  let rows: string;
  let version: string;
  if (req.type === 'rows') {
    rows = req.rows;
    version = req.version;
  } else {
    const reply = JSON.parse(req.replyText) as { ok: boolean; value?: { rows: string; version: string }; error?: { message: string } };
    if (!reply.ok || !reply.value) throw new Error(reply.error?.message ?? 'labels.catalogue failed');
    rows = reply.value.rows;
    version = reply.value.version;
  }
  return { data: buildIndexData(rows, version), buildMs: performance.now() - t0 };
}
