/**
 * A counter that stamps asynchronous requests, so a reply can tell whether what it answers still
 * holds: stamp with `current` (or `next()` when each request supersedes the last), then keep the
 * reply only while `isCurrent(stamp)`. A reply that lost its race is dropped, not written back
 * (issue #16: a prefetch under the old model refilled the cache after `modelChanged()`).
 *
 * @example
 * const stamp = requests.next();
 * const page = await api.call('queue.next', input);
 * if (requests.isCurrent(stamp)) this.page = page;
 */
export class Generation {
  #value = 0;

  get current(): number {
    return this.#value;
  }

  /** Starts a new generation; every stamp taken before it is stale from now on. */
  next(): number {
    return ++this.#value;
  }

  isCurrent(stamp: number): boolean {
    return stamp === this.#value;
  }
}
