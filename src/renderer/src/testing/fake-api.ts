import type { EventName, EventPayload, Input, Method, Output } from '../../../shared/contract';
import type { ErrorCode } from '../../../shared/errors';
import { ApiError, type Api, type ConnectionState } from '../api/api';

type Handler<M extends Method> = (input: Input<M>) => Output<M> | Promise<Output<M>>;

/**
 * A programmable Api for state-class tests: handlers per method, a log of calls, and `emit` to
 * push events. A method without a handler fails like the real dispatcher: `unknown-method`.
 */
export class FakeApi implements Api {
  readonly transport = 'ipc' as const;
  ready = (): Promise<void> => Promise.resolve();
  readonly calls: { method: Method; input: unknown }[] = [];
  readonly #handlers = new Map<Method, (input: unknown) => unknown>();
  readonly #listeners = new Map<EventName, Set<(p: unknown) => void>>();

  handle<M extends Method>(method: M, handler: Handler<M>): this {
    this.#handlers.set(method, handler as (input: unknown) => unknown);
    return this;
  }

  /** Makes `method` fail with `code`. */
  fail(method: Method, code: ErrorCode, message = `${method} failed`): this {
    this.#handlers.set(method, () => {
      throw new ApiError({ code, message });
    });
    return this;
  }

  callsOf(method: Method): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input);
  }

  async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
    this.calls.push({ method, input });
    const h = this.#handlers.get(method);
    await Promise.resolve();
    if (!h) throw new ApiError({ code: 'unknown-method', message: `unknown method "${method}"` });
    return (await h(input)) as Output<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    return () => set.delete(listener as (p: unknown) => void);
  }

  readonly #connectionListeners = new Set<(state: ConnectionState) => void>();

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.#connectionListeners.add(listener);
    return () => this.#connectionListeners.delete(listener);
  }

  /** Plays the browser transport telling the page its link changed. */
  connection(state: ConnectionState): void {
    for (const l of this.#connectionListeners) l(state);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.#listeners.get(event) ?? []) l(payload);
  }
}

/** Lets pending promises, microtasks and short timers run (effects, debounces of ≤ `ms`). */
export function settle(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
