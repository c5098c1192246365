/// <reference lib="webworker" />
import { transferables } from './label-index-data';
import { buildFromRequest } from './label-search-handler';
import type { BuildRequest, BuildResponse } from './label-search-protocol';

// Parsing the catalogue and building the index take most of a second for 94k labels: that work
// stays off the UI thread (issue #6). The result goes back with its typed arrays transferred.
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (e: MessageEvent<BuildRequest>) => {
  let reply: BuildResponse;
  try {
    const built = buildFromRequest(e.data);
    reply = { type: 'built', ...built };
    scope.postMessage(reply, transferables(built.data));
  } catch (err) {
    reply = { type: 'error', message: err instanceof Error ? err.message : String(err) };
    scope.postMessage(reply);
  }
};
