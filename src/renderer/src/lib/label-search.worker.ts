/// <reference lib="webworker" />
import { createSearchHandler } from './label-search-handler';
import type { SearchRequest } from './label-search-protocol';

// The label catalogue's type-ahead index lives here, off the UI thread (issue #6: heavy work stays
// off the UI thread; building the 94k-label index takes most of a second).
const handle = createSearchHandler();
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (e: MessageEvent<SearchRequest>) => scope.postMessage(handle(e.data));
