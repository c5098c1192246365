import { events, type EventName, type EventPayload, type Input, type Method, type Output, type Reply } from '../../../shared/contract';
import { ApiError, type Api } from './api';

type Listener = (payload: unknown) => void;

/**
 * Browser mode: calls are `POST /api/call/<method>` with the per-run token; events arrive on one
 * WebSocket (`/api/events`, token as subprotocol), reconnected with backoff if it drops.
 */
export function httpApi(token: string, base = ''): Api {
  const listeners = new Map<string, Set<Listener>>();
  let socket: WebSocket | null = null;
  let retryMs = 250;

  const connect = (): void => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`;
    socket = new WebSocket(url, [`planter.${token}`]);
    socket.onopen = () => {
      retryMs = 250;
    };
    socket.onmessage = (msg) => {
      let data: { event: string; payload: unknown };
      try {
        data = JSON.parse(String(msg.data)) as { event: string; payload: unknown };
      } catch {
        return;
      }
      const schema = events[data.event as EventName];
      if (!schema) return;
      const parsed = schema.safeParse(data.payload);
      if (!parsed.success) return;
      for (const l of listeners.get(data.event) ?? []) l(parsed.data);
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  const post = async (method: string, input: unknown): Promise<Response> => {
    try {
      return await fetch(`${base}/api/call/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
    } catch (e) {
      throw new ApiError({ code: 'unavailable', message: `Planter is not reachable: ${(e as Error).message}` });
    }
  };

  return {
    transport: 'http',
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
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}
