import { LabelIndex } from './label-index';
import type { SearchRequest, SearchResponse } from './label-search-protocol';

/**
 * The label-search engine behind the worker protocol, as a plain function of messages so the same
 * code runs in the Web Worker and, where workers are unavailable, on the UI thread.
 */
export function createSearchHandler(): (req: SearchRequest) => SearchResponse {
  let index: LabelIndex | null = null;
  const load = (seq: number, rows: string, version: string): SearchResponse => {
    const t0 = performance.now();
    index = new LabelIndex(rows, version);
    // Warm the JIT on a few broad queries so the first keystrokes are as fast as the rest.
    for (const q of ['a', 'di', 'pain', 'e11', 'fracture of']) index.search(q, { limit: 50 });
    return { type: 'loaded', seq, version, size: index.size, buildMs: performance.now() - t0 };
  };
  return (req) => {
    try {
      switch (req.type) {
        case 'load':
          return load(req.seq, req.rows, req.version);
        case 'load-reply': {
          const reply = JSON.parse(req.replyText) as { ok: boolean; value?: { rows: string; version: string }; error?: { message: string } };
          if (!reply.ok || !reply.value) return { type: 'error', seq: req.seq, message: reply.error?.message ?? 'labels.catalogue failed' };
          return load(req.seq, reply.value.rows, reply.value.version);
        }
        case 'counts':
          index?.setTrainCounts(req.counts);
          return { type: 'ok', seq: req.seq };
        case 'search': {
          if (!index) return { type: 'error', seq: req.seq, message: 'the label catalogue is not loaded yet' };
          const t0 = performance.now();
          const result = index.search(req.query, { leafOnly: req.leafOnly, limit: req.limit });
          return { type: 'search', seq: req.seq, result, ms: performance.now() - t0 };
        }
        case 'children':
          return { type: 'hits', seq: req.seq, hits: index ? index.children(req.parentId) : [] };
        case 'get':
          return { type: 'hits', seq: req.seq, hits: req.ids.map((id) => index?.get(id) ?? null) };
      }
    } catch (e) {
      return { type: 'error', seq: req.seq, message: e instanceof Error ? e.message : String(e) };
    }
  };
}
