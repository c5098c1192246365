import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export interface StallReport {
  longestTaskMs: number;
  longTasks: number;
  maxTimerLagMs: number;
}

/** What bench/ui-probe.page.js installs in the page as `window.__planterProbe`. */
interface InPageProbe {
  typeQuery(query: string): Promise<number[]>;
  nextDocument(): Promise<number>;
  openQueueItem(index: number): Promise<number>;
  startStallMonitor(): void;
  stopStallMonitor(): StallReport;
}
type ProbeWindow = { __planterProbe: InPageProbe };

/** Measurements taken inside the page (performance.now() on the UI thread), driven by bench/ui.ts. */
export interface PageProbe {
  /** Types `query` into the open picker one character at a time; ms from each input event to its results in the DOM. */
  typeQuery(query: string): Promise<number[]>;
  /** Presses `n`; ms until the next document's text and suggestions are in the DOM. */
  nextDocument(): Promise<number>;
  /** Clicks the queue's `index`-th document; ms until it and its suggestions are shown. */
  openQueueItem(index: number): Promise<number>;
  startStallMonitor(): Promise<void>;
  stopStallMonitor(): Promise<StallReport>;
}

/** Installs the in-page probe; call before the first navigation. */
export async function installProbe(page: Page): Promise<PageProbe> {
  await page.addInitScript({ path: fileURLToPath(new URL('./ui-probe.page.js', import.meta.url)) });
  return {
    typeQuery: (query) => page.evaluate((q) => (globalThis as unknown as ProbeWindow).__planterProbe.typeQuery(q), query),
    nextDocument: () => page.evaluate(() => (globalThis as unknown as ProbeWindow).__planterProbe.nextDocument()),
    openQueueItem: (index) => page.evaluate((i) => (globalThis as unknown as ProbeWindow).__planterProbe.openQueueItem(i), index),
    startStallMonitor: () => page.evaluate(() => (globalThis as unknown as ProbeWindow).__planterProbe.startStallMonitor()),
    stopStallMonitor: () => page.evaluate(() => (globalThis as unknown as ProbeWindow).__planterProbe.stopStallMonitor()),
  };
}
