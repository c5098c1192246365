import type { LabelHit, SearchResult } from './label-index';

/** Messages to the label-search worker. `seq` pairs a reply with its request. */
export type SearchRequest =
  | { type: 'load'; seq: number; version: string; rows: string }
  /** The raw JSON reply of `labels.catalogue` (browser mode): parsed in the worker, off the UI thread. */
  | { type: 'load-reply'; seq: number; replyText: string }
  | { type: 'counts'; seq: number; counts: number[] }
  | { type: 'search'; seq: number; query: string; leafOnly: boolean; limit: number }
  | { type: 'children'; seq: number; parentId: number | null }
  | { type: 'get'; seq: number; ids: number[] };

export type SearchResponse =
  | { type: 'loaded'; seq: number; version: string; size: number; buildMs: number }
  | { type: 'search'; seq: number; result: SearchResult; ms: number }
  | { type: 'hits'; seq: number; hits: (LabelHit | null)[] }
  | { type: 'ok'; seq: number }
  | { type: 'error'; seq: number; message: string };
