import { getContext, setContext } from 'svelte';
import type { Api } from './api';

const KEY = Symbol('planter-api');

/** The root sets the Api once; views read it. Components never import the api. */
export function setApi(api: Api): void {
  setContext(KEY, api);
}

export function getApi(): Api {
  const api = getContext<Api | undefined>(KEY);
  if (!api) throw new Error('getApi() called outside the app root');
  return api;
}
