import { EVENT_SINCE_PARAM, EventFrame, events, type EventName, type EventPayload, type Input, type Method, type Output, type Reply } from '../../../shared/contract';
import { ApiError, type Api, type ConnectionState } from './api';

type Listener = (payload: unknown) => void;

/** The parts of the DOM WebSocket this transport uses; tests pass the `ws` package's class. */
export interface SocketLike {
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface HttpApiOptions {
  /** Origin of the web host, e.g. `http://127.0.0.1:5173`; the page's own by default. */
  origin?: string;
  openSocket?: SocketFactory;
  /** The main side cannot replay what this page missed: its state must be rebuilt. */
  onGap?: () => void;
  /** How long `ready()` waits for the event stream before letting the page load anyway. */
  readyTimeoutMs?: number;
}

/**
 * Browser mode: calls are `POST /api/call/<method>` with the per-run token; events arrive on one
 * WebSocket (`/api/events`, token as subprotocol), reconnected with backoff if it drops. A
 * reconnect names the last event's sequence number, and the web host replays what still matters
 * since then (a job's end above all), so a dropped socket does not lose events.
 */
export function httpApi(token: string, options: HttpApiOptions = {}): Api {
  const origin = options.origin ?? location.origin;
  const openSocket: SocketFactory = options.openSocket ?? ((url, protocols) => new WebSocket(url, protocols));
  const onGap = options.onGap ?? (() => location.reload());
  const listeners = new Map<string, Set<Listener>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState | null = null;
  const setConnection = (state: ConnectionState): void => {
    if (state === connection) return;
    // Before the first hello there is nothing to have lost: a page that cannot connect at all says so itself.
    if (connection === null && state !== 'connected') return;
    connection = state;
    for (const l of connectionListeners) l(state);
  };
  /** Why the socket closed: the host is gone (`lost`), or a host is there but refuses the token (`restarted`). */
  const diagnose = async (): Promise<void> => {
    try {
      const res = await fetch(`${origin}/api/call/app.info`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
      setConnection(res.status === 401 || res.status === 403 ? 'restarted' : 'lost');
    } catch {
      setConnection('lost');
    }
  };
  let lastSeq: number | null = null;
  let retryMs = 250;
  let heardHello: () => void = () => {};
  const helloHeard = new Promise<void>((resolve) => (heardHello = resolve));

  const deliver = (event: string, payload: unknown): void => {
    const schema = events[event as EventName];
    if (!schema) return;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return;
    for (const l of listeners.get(event) ?? []) l(parsed.data);
  };

  const onFrame = (raw: unknown): void => {
    let frame: EventFrame;
    try {
      const parsed = EventFrame.safeParse(JSON.parse(String(raw)));
      if (!parsed.success) return;
      frame = parsed.data;
    } catch {
      return;
    }
    if (frame.kind === 'hello') {
      // Only a first connection starts from "now"; a reconnect keeps its place for the replay.
      lastSeq ??= frame.seq;
      heardHello();
      setConnection('connected');
    } else if (frame.kind === 'gap') {
      lastSeq = frame.seq;
      onGap();
    } else {
      lastSeq = Math.max(lastSeq ?? 0, frame.seq);
      deliver(frame.event, frame.payload);
    }
  };

  const connect = (): void => {
    const url = new URL('/api/events', origin.replace(/^http/, 'ws'));
    if (lastSeq !== null) url.searchParams.set(EVENT_SINCE_PARAM, String(lastSeq));
    const socket = openSocket(url.toString(), [`planter.${token}`]);
    socket.addEventListener('open', () => {
      retryMs = 250;
    });
    socket.addEventListener('message', (msg) => onFrame(msg.data));
    socket.addEventListener('close', () => {
      if (connection !== null) void diagnose();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  };
  connect();

  const post = async (method: string, input: unknown): Promise<Response> => {
    try {
      return await fetch(`${origin}/api/call/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
    } catch (e) {
      setConnection('lost');
      throw new ApiError({ code: 'unavailable', message: `Planter is not reachable: ${(e as Error).message}` });
    }
  };

  return {
    transport: 'http',
    ready: () => Promise.race([helloHeard, new Promise<void>((resolve) => setTimeout(resolve, options.readyTimeoutMs ?? 3000))]),
    async callText<M extends Method>(method: M, input: Input<M>): Promise<string> {
      return (await post(method, input)).text();
    },
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      const res = await post(method, input);
      let reply: Reply<unknown>;
      try {
        reply = (await res.json()) as Reply<unknown>;
      } catch {
        throw new ApiError({ code: 'internal', message: `bad reply from Planter (HTTP ${res.status})` });
      }
      if (!reply.ok) throw new ApiError(reply.error);
      return reply.value as Output<M>;
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}
