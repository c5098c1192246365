import type { PlanterBridge } from '../../../shared/bridge';
import type { Api } from './api';
import { httpApi } from './http-transport';
import { ipcApi } from './ipc-transport';

declare global {
  interface Window {
    planter?: PlanterBridge;
  }
}

const TOKEN_KEY = 'planter.token';

/**
 * Picks the transport: the preload's bridge inside Electron, otherwise the web host. In browser
 * mode the token arrives in the URL fragment (never sent to any server); it is kept in
 * sessionStorage and removed from the address bar.
 */
export function createApi(): Api | { error: string } {
  if (window.planter) return ipcApi(window.planter);
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY);
  if (!token) return { error: 'This page needs the address printed by `npm start` (it carries a one-time token).' };
  return httpApi(token);
}
