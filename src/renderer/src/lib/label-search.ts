import type { LabelHit, SearchResult } from './label-index';
import { createSearchHandler } from './label-search-handler';
import type { SearchRequest, SearchResponse } from './label-search-protocol';

type Pending = { resolve: (r: SearchResponse) => void };
/** A request without its `seq`, for each request type (the client numbers them). */
type RequestBody = SearchRequest extends infer R ? (R extends SearchRequest ? Omit<R, 'seq'> : never) : never;

/**
 * The UI thread's handle on the label-search worker: promise per request, replies paired by
 * sequence number. Where a worker cannot start (an unusual sandbox), the same handler runs on the
 * UI thread, so search still works, only with the index build on this thread.
 */
export class LabelSearch {
  #worker: Worker | null = null;
  #inline: ((req: SearchRequest) => SearchResponse) | null = null;
  #seq = 0;
  readonly #pending = new Map<number, Pending>();
  /** True when the search runs in a Web Worker (false: the UI-thread fallback). */
  readonly inWorker: boolean;

  constructor(createWorker: (() => Worker) | null = defaultWorker) {
    try {
      this.#worker = createWorker ? createWorker() : null;
    } catch {
      this.#worker = null;
    }
    if (this.#worker) {
      this.#worker.onmessage = (e: MessageEvent<SearchResponse>) => {
        const p = this.#pending.get(e.data.seq);
        this.#pending.delete(e.data.seq);
        p?.resolve(e.data);
      };
      this.#worker.onerror = () => this.#fallBack();
    } else this.#inline = createSearchHandler();
    this.inWorker = this.#worker !== null;
  }

  /** Loads a catalogue: its rows, or the raw `labels.catalogue` reply text (parsed in the worker). */
  async load(source: { rows: string; version: string } | { replyText: string }): Promise<{ version: string; size: number; buildMs: number }> {
    const r = await this.#send('rows' in source ? { type: 'load', rows: source.rows, version: source.version } : { type: 'load-reply', replyText: source.replyText });
    if (r.type === 'error') throw new Error(r.message);
    if (r.type !== 'loaded') throw new Error(`label search: unexpected reply ${r.type}`);
    return { version: r.version, size: r.size, buildMs: r.buildMs };
  }

  async setCounts(counts: number[]): Promise<void> {
    await this.#send({ type: 'counts', counts });
  }

  async search(query: string, options: { leafOnly: boolean; limit: number }): Promise<SearchResult & { ms: number }> {
    const r = await this.#send({ type: 'search', query, leafOnly: options.leafOnly, limit: options.limit });
    if (r.type === 'error') throw new Error(r.message);
    if (r.type !== 'search') throw new Error(`label search: unexpected reply ${r.type}`);
    return { ...r.result, ms: r.ms };
  }

  async children(parentId: number | null): Promise<LabelHit[]> {
    const r = await this.#send({ type: 'children', parentId });
    return r.type === 'hits' ? (r.hits.filter(Boolean) as LabelHit[]) : [];
  }

  async get(ids: number[]): Promise<(LabelHit | null)[]> {
    const r = await this.#send({ type: 'get', ids });
    return r.type === 'hits' ? r.hits : ids.map(() => null);
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const p of this.#pending.values()) p.resolve({ type: 'error', seq: -1, message: 'label search closed' });
    this.#pending.clear();
  }

  #send(body: RequestBody): Promise<SearchResponse> {
    const req = { ...body, seq: ++this.#seq } as SearchRequest;
    if (this.#inline) return Promise.resolve(this.#inline(req));
    if (!this.#worker) return Promise.resolve({ type: 'error', seq: req.seq, message: 'label search closed' });
    return new Promise((resolve) => {
      this.#pending.set(req.seq, { resolve });
      this.#worker!.postMessage(req);
    });
  }

  /** The worker failed to start (e.g. blocked by a policy): answer on this thread from now on. */
  #fallBack(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#inline = createSearchHandler();
    for (const [seq, p] of this.#pending) p.resolve({ type: 'error', seq, message: 'label search restarted; try again' });
    this.#pending.clear();
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./label-search.worker.ts', import.meta.url), { type: 'module', name: 'label-search' });
}
