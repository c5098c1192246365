import { LabelIndex, type LabelHit, type LabelIndexData, type SearchResult } from './label-index';
import { buildFromRequest } from './label-search-handler';
import type { BuildRequest, BuildResponse } from './label-search-protocol';

/**
 * The label catalogue's search, as the UI uses it. The index is built in a Web Worker (the heavy
 * part) and then lives on the UI thread, where each keystroke is answered synchronously in about
 * a millisecond — a message round trip per keystroke cost more than the search on a loaded
 * machine. Where a worker cannot start, the index is built on the UI thread instead.
 */
export class LabelSearch {
  #index: LabelIndex | null = null;
  #counts: number[] = [];
  #terms: { labelId: number; terms: string[] }[] = [];
  readonly #createWorker: (() => Worker) | null;
  /** True when the last index was built in a worker (false: the UI-thread fallback). */
  builtInWorker = false;

  constructor(createWorker: (() => Worker) | null = defaultWorker) {
    this.#createWorker = createWorker;
  }

  get ready(): boolean {
    return this.#index !== null;
  }

  /** Indexes a catalogue: its rows, or the raw `labels.catalogue` reply text (parsed off the UI thread). */
  /**
   * `stillWanted`: asked once the index is built; when it answers false (the user switched
   * projects, or a newer load started) the index is dropped instead of replacing the current one.
   */
  async load(source: { rows: string; version: string } | { replyText: string }, stillWanted: () => boolean = () => true): Promise<{ version: string; size: number; buildMs: number }> {
    const req: BuildRequest = 'rows' in source ? { type: 'rows', rows: source.rows, version: source.version } : { type: 'reply', replyText: source.replyText };
    let built: { data: LabelIndexData; buildMs: number };
    try {
      built = await this.#buildInWorker(req);
      this.builtInWorker = true;
    } catch (e) {
      if (!(e instanceof WorkerUnavailable)) throw e;
      built = buildFromRequest(req);
      this.builtInWorker = false;
    }
    const index = new LabelIndex(built.data);
    index.setTrainCounts(this.#counts);
    index.setProjectTerms(this.#terms);
    // Warm the JIT on a few broad queries so the first keystrokes are as fast as the rest.
    for (const q of ['a', 'di', 'pain', 'e11', 'fracture of']) index.search(q, { limit: 30 });
    if (stillWanted()) this.#index = index;
    return { version: index.version, size: index.size, buildMs: built.buildMs };
  }

  setCounts(counts: number[]): void {
    this.#counts = counts;
    this.#index?.setTrainCounts(counts);
  }

  /** The words coders used per label (`labels.terms`), searched beside titles and synonyms. */
  setTerms(terms: { labelId: number; terms: string[] }[]): void {
    this.#terms = terms;
    this.#index?.setProjectTerms(terms);
  }

  search(query: string, options: { leafOnly: boolean; limit: number }): SearchResult & { ms: number } {
    if (!this.#index) throw new Error('the label catalogue is not loaded yet');
    const t0 = performance.now();
    const result = this.#index.search(query, options);
    return { ...result, ms: performance.now() - t0 };
  }

  children(parentId: number | null): LabelHit[] {
    return this.#index?.children(parentId) ?? [];
  }

  get(ids: number[]): (LabelHit | null)[] {
    return ids.map((id) => this.#index?.get(id) ?? null);
  }

  dispose(): void {
    this.#index = null;
  }

  #buildInWorker(req: BuildRequest): Promise<{ data: LabelIndexData; buildMs: number }> {
    let worker: Worker;
    try {
      if (!this.#createWorker) throw new Error('no worker');
      worker = this.#createWorker();
    } catch {
      return Promise.reject(new WorkerUnavailable());
    }
    return new Promise((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<BuildResponse>) => {
        worker.terminate();
        if (e.data.type === 'built') resolve({ data: e.data.data, buildMs: e.data.buildMs });
        else reject(new Error(e.data.message));
      };
      // A worker blocked by a policy fails here before any message: build on this thread instead.
      worker.onerror = (e) => {
        e.preventDefault();
        worker.terminate();
        reject(new WorkerUnavailable());
      };
      worker.postMessage(req);
    });
  }
}

class WorkerUnavailable extends Error {}

function defaultWorker(): Worker {
  return new Worker(new URL('./label-search.worker.ts', import.meta.url), { type: 'module', name: 'label-search' });
}
