import type { EventName, EventPayload } from '../../shared/contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Fan-out of main-side events to every transport (IPC windows, web sockets, the CLI). */
export class EventHub {
  readonly #listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.#listeners) {
      try {
        l(event, payload);
      } catch (e) {
        // One broken transport must not stop the others from hearing the event.
        console.error(`event listener failed on ${event}:`, e);
      }
    }
  }

  /** Returns the unsubscribe function. */
  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
