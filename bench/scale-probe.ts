/**
 * The stall probe of `npm run bench:scale`: a worker thread of the bench (its own event loop, so the
 * bench's uploads and JSON work cannot delay it) that calls `app.info` on the serve process every
 * 50 ms, one request at a time, and keeps every latency. A window's stall is the slowest `app.info`
 * answered while the window was open: what a click in the UI would have waited for.
 */
import { Worker } from 'node:worker_threads';

const PROBE_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { request } = require('node:http');
const { port, token, everyMs } = workerData;
let stopped = false;
parentPort.on('message', (m) => { if (m === 'stop') stopped = true; });
const once = () => new Promise((resolve) => {
  const body = '{}';
  const req = request({ host: '127.0.0.1', port, path: '/api/call/app.info', method: 'POST', agent: false,
    headers: { host: '127.0.0.1:' + port, connection: 'close', authorization: 'Bearer ' + token, 'content-type': 'application/json', 'content-length': body.length } },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode === 200)); });
  req.setTimeout(120000, () => req.destroy());
  req.on('error', () => resolve(false));
  req.end(body);
});
(async () => {
  while (!stopped) {
    const t0 = performance.now();
    const ok = await once();
    const ms = performance.now() - t0;
    parentPort.postMessage({ at: Date.now(), ms, ok });
    await new Promise((r) => setTimeout(r, Math.max(0, everyMs - ms)));
  }
  parentPort.postMessage('stopped');
})();
`;

export interface StallWindow {
  /** Probe calls answered while the window was open. */
  probes: number;
  /** The slowest of them (ms). */
  maxMs: number;
  p95Ms: number;
  failed: number;
}

export class StallProbe {
  readonly #worker: Worker;
  readonly #samples: { at: number; ms: number; ok: boolean }[] = [];

  constructor(port: number, token: string, everyMs = 50) {
    this.#worker = new Worker(PROBE_SOURCE, { eval: true, workerData: { port, token, everyMs } });
    this.#worker.on('message', (m: unknown) => {
      if (m && typeof m === 'object') this.#samples.push(m as { at: number; ms: number; ok: boolean });
    });
  }

  /** Runs `work` with the probe watching; returns its value and the window's stall. */
  async during<T>(work: () => Promise<T>): Promise<{ value: T; stall: StallWindow }> {
    const from = Date.now();
    const value = await work();
    // The probe call in flight when the work ended belongs to the window too.
    await new Promise((r) => setTimeout(r, 200));
    const inWindow = this.#samples.filter((s) => s.at >= from);
    const ms = inWindow.map((s) => s.ms).sort((a, b) => a - b);
    const round = (x: number | undefined): number => Math.round((x ?? 0) * 10) / 10;
    return {
      value,
      stall: { probes: ms.length, maxMs: round(ms.at(-1)), p95Ms: round(ms[Math.max(0, Math.ceil(0.95 * ms.length) - 1)]), failed: inWindow.filter((s) => !s.ok).length },
    };
  }

  async stop(): Promise<void> {
    this.#worker.postMessage('stop');
    await new Promise<void>((res) => {
      const timer = setTimeout(() => res(), 3000);
      this.#worker.once('message', () => {
        clearTimeout(timer);
        res();
      });
    });
    await this.#worker.terminate();
  }
}
