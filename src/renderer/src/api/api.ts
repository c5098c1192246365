import type { EventName, EventPayload, Input, Method, Output } from '../../../shared/contract';
import type { ErrorCode, ErrorDetails, WireError } from '../../../shared/errors';

/** The renderer's only way to reach the main side; built over IPC (Electron) or HTTP + WebSocket (browser mode). */
export interface Api {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  readonly transport: 'ipc' | 'http';
  /**
   * Resolves once events from the main side are being heard, so state read after it cannot miss
   * a change that happened in between (or after a few seconds without an event stream, so the
   * page still loads and shows what it can).
   */
  ready(): Promise<void>;
  /**
   * Browser mode only: the reply as raw JSON text (`{"ok":…}`), unparsed. For very large replies
   * (the 12 MB label catalogue) that a worker parses, so the UI thread never does.
   */
  callText?<M extends Method>(method: M, input: Input<M>): Promise<string>;
  /**
   * Browser mode only: the link to the main side. `lost` when the web host stopped answering (it
   * keeps reconnecting), `connected` once it answers again, `restarted` when a host answers but
   * refuses this page's token (a new run of `planter serve`, with a new address to open).
   */
  onConnection?(listener: (state: ConnectionState) => void): () => void;
}

export type ConnectionState = 'connected' | 'lost' | 'restarted';

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  constructor(error: WireError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.details = error.details;
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError({ code: 'internal', message: e instanceof Error ? e.message : String(e) });
}
