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
}

export interface CachedOrder<M> {
  list: OrderedList;
  ranker: Ranker;
  meta: M;
  stamp: OrderStamp;
  /** The change log entry the order is current with. */
  seq: number;
  rankedAt: number;
  /** How the order was brought up to date on this request (for tests and the bench). */
  how: 'ranked' | 'cached' | 'updated';
}

export class RankingCache<M> {
  readonly #orders = new WeakMap<ProjectStore, Map<string, CachedOrder<M>>>();

  /**
   * The order for `key`, current with the store: ranked by `make` when missing or stamped
   * differently, otherwise brought up to date with the writes since it was last asked for.
   * `stampAfter` re-reads the stamp once `make` ran (making it may start a scoring job).
   */
  async order(
    store: ProjectStore,
    repo: QueueRepo,
    key: string,
    scope: Scope,
    stamp: OrderStamp,
    make: () => Promise<{ ranker: Ranker; meta: M }>,
    stampAfter: () => OrderStamp = () => stamp,
  ): Promise<CachedOrder<M>> {
    let orders = this.#orders.get(store);
    if (!orders) this.#orders.set(store, (orders = new Map()));
    const kept = orders.get(key);
    const now = Date.now();
    if (kept && kept.stamp.fixed === stamp.fixed) {
      orders.delete(key);
      orders.set(key, kept); // most recently used last
      const seq = repo.changeSeq();
      if (seq === kept.seq) return { ...kept, how: 'cached' };
      const changed = repo.changesSince(kept.seq, MAX_INCREMENTAL_CHANGES);
      if (changed !== null) {
        await this.#apply(kept, repo, scope, changed);
        kept.seq = seq;
        return { ...kept, how: 'updated' };
      }
    }
    // Read before ranking: a write while it ranks is applied on the next request (idempotently).
    const seq = repo.changeSeq();
    const { ranker, meta } = await make();
    const order: CachedOrder<M> = { list: await OrderedList.build(await ranker.rank()), ranker, meta, stamp: stampAfter(), seq, rankedAt: now, how: 'ranked' };
    orders.delete(key);
    orders.set(key, order);
    while (orders.size > MAX_ORDERS_PER_PROJECT) orders.delete(orders.keys().next().value!);
    return order;
  }

  /** Forgets every order of a project (its corpus or model changed under it). */
  clear(store: ProjectStore): void {
    this.#orders.delete(store);
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
