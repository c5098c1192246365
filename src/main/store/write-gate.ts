/**
 * Lets this process's writers wait, without blocking, while a worker thread holds the project's
 * write lock for a long transaction (an import's commit). better-sqlite3 waits for a lock by
 * sleeping in the calling thread (busy_timeout): an annotation written during a 30-second commit
 * would freeze the whole host. Writers on the main thread `await gate.ready()` first; the worker
 * asks before it begins and says when it is done (jobs/store-work.ts).
 */
export class WriteGate {
  #closed: { promise: Promise<void>; open: () => void } | null = null;

  /** Resolves at once when no long write holds the lock; otherwise when it ends. */
  ready(): Promise<void> {
    return this.#closed?.promise ?? Promise.resolve();
  }

  get closed(): boolean {
    return this.#closed !== null;
  }

  close(): void {
    if (this.#closed) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.#closed = { promise, open };
  }

  open(): void {
    const closed = this.#closed;
    this.#closed = null;
    closed?.open();
  }
}
