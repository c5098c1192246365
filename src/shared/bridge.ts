import type { Reply } from './contract';

/** What the preload exposes as `window.planter`: two functions, nothing else (no ipcRenderer). */
export interface PlanterBridge {
  call(method: string, input: unknown): Promise<Reply<unknown>>;
  /** Returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export const IPC_CALL_CHANNEL = 'planter:call';
export const IPC_EVENT_CHANNEL = 'planter:event';
