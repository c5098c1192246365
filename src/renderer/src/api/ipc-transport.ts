import type { PlanterBridge } from '../../../shared/bridge';
import type { EventName, EventPayload, Input, Method, Output } from '../../../shared/contract';
import { ApiError, type Api } from './api';

/** The Electron transport: `window.planter`, exposed by the sandboxed preload. */
export function ipcApi(bridge: PlanterBridge): Api {
  return {
    transport: 'ipc',
    // IPC events are delivered from the moment a listener is registered.
    ready: () => Promise.resolve(),
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      const reply = await bridge.call(method, input);
      if (!reply.ok) throw new ApiError(reply.error);
      return reply.value as Output<M>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      return bridge.on(event, (p) => listener(p as EventPayload<E>));
    },
  };
}
