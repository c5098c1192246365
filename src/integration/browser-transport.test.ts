import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { JobFinished } from '../shared/contract';
import { httpApi } from '../renderer/src/api/http-transport';
import { tempServices } from '../main/testing/temp-services';
import { startWebHost, type WebHost } from '../main/web/server';

const finished = (jobId: string): JobFinished => ({ jobId, projectId: 'p', kind: 'train', outcome: 'done', durationMs: 3 });

// The renderer's browser transport against the real web host: what a page sees when its socket drops.
describe('browser transport event stream', () => {
  let env: ReturnType<typeof tempServices>;
  let host: WebHost;
  let staticDir: string;

  beforeAll(async () => {
    env = tempServices();
    staticDir = mkdtempSync(join(tmpdir(), 'planter-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    host = await startWebHost({ services: env.services, staticDir });
  });
  afterAll(async () => {
    await host.close();
    env.cleanup();
    rmSync(staticDir, { recursive: true, force: true });
  });

  function connectPage(onGap: () => void = () => {}): { api: ReturnType<typeof httpApi>; sockets: WebSocket[] } {
    const sockets: WebSocket[] = [];
    const api = httpApi(host.token, {
      origin: host.url.replace(/\/$/, ''),
      openSocket: (url, protocols) => {
        const ws = new WebSocket(url, protocols, { headers: { origin: host.url.replace(/\/$/, '') } });
        sockets.push(ws);
        return ws;
      },
      onGap,
    });
    return { api, sockets };
  }

  it('hears a job end that happened while its socket was down', async () => {
    const { api, sockets } = connectPage();
    const heard: string[] = [];
    api.on('jobs.finished', (f) => heard.push(f.jobId));
    await vi.waitUntil(() => sockets[0]?.readyState === WebSocket.OPEN, { timeout: 5_000, interval: 10 });
    env.services.events.emit('jobs.finished', finished('job-before'));
    await vi.waitUntil(() => heard.length === 1, { timeout: 5_000, interval: 10 });

    const dropped = new Promise((r) => sockets[0]!.once('close', r));
    sockets[0]!.terminate();
    await dropped;
    env.services.events.emit('jobs.finished', finished('job-during'));
    await vi.waitUntil(() => sockets.length === 2 && sockets[1]!.readyState === WebSocket.OPEN, { timeout: 5_000, interval: 10 });
    await vi.waitUntil(() => heard.length === 2, { timeout: 5_000, interval: 10 });
    env.services.events.emit('jobs.finished', finished('job-after'));
    await vi.waitUntil(() => heard.length === 3, { timeout: 5_000, interval: 10 });
    // Each end heard exactly once: the replay does not repeat what the page already had.
    expect(heard).toEqual(['job-before', 'job-during', 'job-after']);
    for (const s of sockets) s.terminate();
  });

  it('is ready once the event stream says hello, or after its timeout without one', async () => {
    const { api, sockets } = connectPage();
    let ready = false;
    void api.ready().then(() => (ready = true));
    await vi.waitUntil(() => ready, { timeout: 5_000, interval: 10 });
    expect(sockets[0]?.readyState).toBe(WebSocket.OPEN);
    for (const s of sockets) s.terminate();

    const silent = httpApi(host.token, {
      origin: host.url.replace(/\/$/, ''),
      // A socket that never opens: the page must still load.
      openSocket: () => ({ addEventListener: () => {} }),
      readyTimeoutMs: 50,
    });
    const started = Date.now();
    await silent.ready();
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('asks the page to rebuild its state when the host cannot replay that far back', async () => {
    let gaps = 0;
    const { api, sockets } = connectPage(() => gaps++);
    api.on('jobs.finished', () => {});
    await vi.waitUntil(() => sockets[0]?.readyState === WebSocket.OPEN, { timeout: 5_000, interval: 10 });
    env.services.events.emit('jobs.finished', finished('job-seen'));
    await new Promise((r) => setTimeout(r, 50));
    const dropped = new Promise((r) => sockets[0]!.once('close', r));
    sockets[0]!.terminate();
    await dropped;
    // Flood past the hub's memory of distinct keys while the page is away.
    for (let i = 0; i < 10_001; i++) env.services.events.emit('jobs.finished', finished(`job-flood-${i}`));
    await vi.waitUntil(() => gaps === 1, { timeout: 5_000, interval: 10 });
    for (const s of sockets) s.terminate();
  });
});
