import type { EventName, EventPayload } from '../../shared/contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>, seq: number) => void;

export interface SequencedEvent {
  seq: number;
  event: EventName;
  payload: unknown;
}

/**
 * What a later event of the same key makes obsolete: only the newest progress of a job matters,
 * a job finishes once, and views refetch on any change of one kind in one project. Exhaustive on
 * purpose, so a new event has to say how it is compacted.
 */
export function compactionKey<E extends EventName>(event: E, payload: EventPayload<E>): string {
  const name: EventName = event;
  switch (name) {
    case 'jobs.progress':
      return `progress:${(payload as EventPayload<'jobs.progress'>).jobId}`;
    case 'jobs.finished':
      return `finished:${(payload as EventPayload<'jobs.finished'>).jobId}`;
    case 'projects.changed': {
      const c = payload as EventPayload<'projects.changed'>;
      return `changed:${c.projectId}:${c.what}`;
    }
    case 'queue.reordered': {
      const r = payload as EventPayload<'queue.reordered'>;
      return `reordered:${r.projectId}:${r.strategy}`;
    }
  }
}

/**
 * Fan-out of main-side events to every transport (IPC windows, web sockets, the CLI). Each event
 * gets a sequence number, and the newest event per compaction key is kept, so a transport that
 * lost its connection can be sent everything that still matters since the last number it saw.
 */
export class EventHub {
  readonly #listeners = new Set<EventListener>();
  // Insertion order is sequence order: a key is deleted before it is set again.
  readonly #latest = new Map<string, SequencedEvent>();
  readonly #maxKeys: number;
  #seq = 0;
  /** Newest sequence number whose event was dropped from `#latest` to bound memory. */
  #forgottenUpTo = 0;

  constructor(maxKeys = 10_000) {
    this.#maxKeys = maxKeys;
  }

  /** Sequence number of the newest event emitted so far (0 before the first). */
  get seq(): number {
    return this.#seq;
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const seq = ++this.#seq;
    const key = compactionKey(event, payload);
    this.#latest.delete(key);
    this.#latest.set(key, { seq, event, payload });
    if (this.#latest.size > this.#maxKeys) {
      const [oldestKey, oldest] = this.#latest.entries().next().value as [string, SequencedEvent];
      this.#latest.delete(oldestKey);
      this.#forgottenUpTo = oldest.seq;
    }
    for (const l of this.#listeners) {
      try {
        l(event, payload, seq);
      } catch (e) {
        // One broken transport must not stop the others from hearing the event.
        console.error(`event listener failed on ${event}:`, e);
      }
    }
  }

  /**
   * The events after `seq` that still matter, oldest first; `'gap'` when that cannot be told: the
   * number is from before a restart (ahead of ours) or older than what was forgotten.
   */
  since(seq: number): SequencedEvent[] | 'gap' {
    if (seq > this.#seq || seq < this.#forgottenUpTo) return 'gap';
    const missed: SequencedEvent[] = [];
    for (const e of this.#latest.values()) if (e.seq > seq) missed.push(e);
    return missed;
  }

  /** Returns the unsubscribe function. */
  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
