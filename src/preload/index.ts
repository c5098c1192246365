// Sandboxed preload: bundled into one CommonJS file that only requires 'electron'.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type PlanterBridge } from '../shared/bridge';
import { isEventName, isMethod } from '../shared/contract';

const bridge = {
  call(method, input) {
    // Unknown names never reach main; main validates the payload again anyway.
    if (!isMethod(method)) return Promise.resolve({ ok: false, error: { code: 'unknown-method', message: `unknown method ${String(method)}` } });
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, method, input);
  },
  on(event, listener) {
    if (!isEventName(event)) return () => {};
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
} satisfies PlanterBridge;

contextBridge.exposeInMainWorld('planter', bridge);
