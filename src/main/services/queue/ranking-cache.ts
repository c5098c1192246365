/**
 * The queue's ranked orders, kept per project and per order (strategy, scope, seed, label,
 * query, document) and stamped with what they were ranked from (corpus version, keyword-index
 * generation, model): a page after the first is a slice of the kept order. Annotation writes are
 * applied document by document from the change log (`doc_changes`, migration 0005): a document
 * that left the scope is taken out, one that came in is put at its place, and the documents whose
 * score the write moved (the ranker says which) are moved; nothing else is ranked again.
 */
import type { ProjectStore } from '../../store/project-store';
import type { QueueRepo, Scope } from '../../store/queue-repo';
import type { Ranker } from './ranker';
import { OrderedList } from './ranking';

/** More changes than this since an order was made, and it is ranked again instead. */
const MAX_INCREMENTAL_CHANGES = 5000;
const MAX_ORDERS_PER_PROJECT = 12;
export interface OrderStamp {
  /**
   * Anything different here ranks again: corpus, catalogue, model, and whether the keyword index
   * is complete. While the index grows, an order ranked from the documents indexed so far is kept
   * (re-ranking on a first page cost seconds at 250,000 documents); the UI asks again when the
   * index job ends, and that request ranks from all of them.
   */
  fixed: string;
  /**
   * What a kept order must share with the stamp to be shown while it is ranked again in the
   * background (the corpus version): a complete keyword index or a model's scores make a better
   * order, but the one kept is still a true order of the same documents. Absent: never shown stale.
   */
  base?: string;
}

export interface OrderOptions {
  /**
   * How long a request waits for a re-rank before it is answered from the kept order (when the
   * stamps share their base); the re-rank goes on and `onFresh` is called when it is in.
   */
  staleAfterMs?: number;
  onFresh?: () => void;
}

export interface CachedOrder<M> {
  list: OrderedList;
  ranker: Ranker;
  meta: M;
  stamp: OrderStamp;
  /** The change log entry the order is current with. */
  seq: number;
  rankedAt: number;
  /**
   * How the order was brought up to date on this request (for tests and the bench); `stale`: the
   * kept order, brought up to date with the writes, while a better one ranks in the background.
   */
  how: 'ranked' | 'cached' | 'updated' | 'stale';
}

interface RankRun<M> {
  fixed: string;
  done: Promise<CachedOrder<M>>;
  /** A request was answered from the kept order while this ran: say when it is in. */
  servedStale: boolean;
  onFresh: (() => void) | null;
}

export class RankingCache<M> {
  readonly #orders = new WeakMap<ProjectStore, Map<string, CachedOrder<M>>>();
  /** Re-ranks under way, by order key: a second request for the same order waits on the same one. */
  readonly #ranking = new WeakMap<ProjectStore, Map<string, RankRun<M>>>();
  /** Orders whose background re-rank failed after a stale answer: their next request waits. */
  readonly #failed = new WeakMap<ProjectStore, Set<string>>();

  /**
   * The order for `key`, current with the store: ranked by `make` when missing or stamped
   * differently, otherwise brought up to date with the writes since it was last asked for.
   * `stampAfter` re-reads the stamp once `make` ran (making it may start a scoring job).
   * With `staleAfterMs`, a re-rank that takes longer than that is left running and the request is
   * answered from the kept order (`how: 'stale'`); `onFresh` says when the new order is in.
   */
  async order(
    store: ProjectStore,
    repo: QueueRepo,
    key: string,
    scope: Scope,
    stamp: OrderStamp,
    make: () => Promise<{ ranker: Ranker; meta: M }>,
    stampAfter: () => OrderStamp = () => stamp,
    options: OrderOptions = {},
  ): Promise<CachedOrder<M>> {
    const orders = this.#ordersOf(store);
    const kept = orders.get(key);
    if (kept && kept.stamp.fixed === stamp.fixed) {
      orders.delete(key);
      orders.set(key, kept); // most recently used last
      const current = await this.#current(kept, repo, scope);
      if (current) return current;
    }
    const run = this.#rank(store, repo, key, stamp, make, stampAfter);
    const canWait = options.staleAfterMs !== undefined && kept !== undefined && kept.stamp.base !== undefined && kept.stamp.base === stamp.base && !this.#failed.get(store)?.has(key);
    if (!canWait) return run.done;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), options.staleAfterMs)));
    const fresh = await Promise.race([run.done, late]);
    clearTimeout(timer);
    if (fresh) return fresh;
    // The kept order answers; writes since it was made are applied to it as on any request.
    const current = await this.#current(kept, repo, scope);
    if (!current) return run.done; // too many writes since: nothing true to show but the new order
    run.servedStale = true;
    run.onFresh = options.onFresh ?? null;
    return { ...current, how: 'stale' };
  }

  /** Whether the order for `key` is being ranked again in the background. */
  ranking(store: ProjectStore, key: string): boolean {
    return this.#ranking.get(store)?.has(key) ?? false;
  }

  #ordersOf(store: ProjectStore): Map<string, CachedOrder<M>> {
    let orders = this.#orders.get(store);
    if (!orders) this.#orders.set(store, (orders = new Map()));
    return orders;
  }

  /** The kept order with the writes since it was made applied, or null when there were too many. */
  async #current(kept: CachedOrder<M>, repo: QueueRepo, scope: Scope): Promise<CachedOrder<M> | null> {
    const seq = repo.changeSeq();
    if (seq === kept.seq) return { ...kept, how: 'cached' };
    const changed = repo.changesSince(kept.seq, MAX_INCREMENTAL_CHANGES);
    if (changed === null) return null;
    await this.#apply(kept, repo, scope, changed);
    kept.seq = seq;
    return { ...kept, how: 'updated' };
  }

  /**
   * Ranks the order (once per key and stamp, however many requests ask) and keeps it, unless a
   * newer rank of the key started meanwhile or the project's orders were cleared.
   */
  #rank(store: ProjectStore, repo: QueueRepo, key: string, stamp: OrderStamp, make: () => Promise<{ ranker: Ranker; meta: M }>, stampAfter: () => OrderStamp): RankRun<M> {
    let running = this.#ranking.get(store);
    if (!running) this.#ranking.set(store, (running = new Map()));
    const under = running.get(key);
    if (under && under.fixed === stamp.fixed) return under;
    const run: RankRun<M> = { fixed: stamp.fixed, done: null!, servedStale: false, onFresh: null };
    running.set(key, run);
    const isCurrent = (): boolean => this.#ranking.get(store)?.get(key) === run;
    run.done = (async (): Promise<CachedOrder<M>> => {
      // Read before ranking: a write while it ranks is applied on the next request (idempotently).
      const seq = repo.changeSeq();
      const rankedAt = Date.now();
      const { ranker, meta } = await make();
      const order: CachedOrder<M> = { list: await OrderedList.build(await ranker.rank()), ranker, meta, stamp: stampAfter(), seq, rankedAt, how: 'ranked' };
      if (isCurrent()) {
        const orders = this.#ordersOf(store);
        orders.delete(key);
        orders.set(key, order);
        while (orders.size > MAX_ORDERS_PER_PROJECT) orders.delete(orders.keys().next().value!);
      }
      return order;
    })();
    run.done.then(
      () => {
        if (!isCurrent()) return;
        running.delete(key);
        this.#failed.get(store)?.delete(key);
        if (run.servedStale) run.onFresh?.();
      },
      () => {
        if (!isCurrent()) return;
        running.delete(key);
        // The next request waits for its rank, so the error reaches the coder instead of a stale order forever.
        if (run.servedStale) this.#failedOf(store).add(key);
      },
    );
    return run;
  }

  #failedOf(store: ProjectStore): Set<string> {
    let failed = this.#failed.get(store);
    if (!failed) this.#failed.set(store, (failed = new Set()));
    return failed;
  }

  /** Forgets every order of a project (its corpus or model changed under it). */
  clear(store: ProjectStore): void {
    this.#orders.delete(store);
    this.#ranking.delete(store);
    this.#failed.delete(store);
  }

  async #apply(order: CachedOrder<M>, repo: QueueRepo, scope: Scope, changed: readonly number[]): Promise<void> {
    const moved = order.ranker.refresh(changed);
    if (moved === 'all') {
      order.list = new OrderedList(await order.ranker.rank());
      return;
    }
    const touched = [...new Set([...changed, ...moved])];
    const inScope = repo.inScope(touched, scope);
    order.list.setMany(touched.map((id) => [id, inScope.has(id) ? order.ranker.score(id) : null] as const));
  }
}
