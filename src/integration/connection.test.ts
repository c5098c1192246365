import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { ConnectionState } from '../renderer/src/api/api';
import { httpApi } from '../renderer/src/api/http-transport';
import { tempServices } from '../main/testing/temp-services';
import { startWebHost, type WebHost } from '../main/web/server';

// Issue #14: when the server stopped, the page showed nothing. The browser transport now says
// when the host is gone, when it is back, and when a new run of it refuses the old token.
describe('browser transport connection state', () => {
  let env: ReturnType<typeof tempServices>;
  let staticDir: string;
  beforeAll(() => {
    env = tempServices();
    staticDir = mkdtempSync(join(tmpdir(), 'planter-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  });
  afterAll(async () => {
    await env.cleanup();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('reports lost when the host stops, connected when it is back, restarted when a new run refuses the token', async () => {
    let host: WebHost = await startWebHost({ services: env.services, staticDir, token: 'first-token-aaaaaaaaaaaaaaaa' });
    const origin = host.url.replace(/\/$/, '');
    const port = host.port;
    const sockets: WebSocket[] = [];
    const api = httpApi('first-token-aaaaaaaaaaaaaaaa', {
      origin,
      openSocket: (url, protocols) => {
        const ws = new WebSocket(url, protocols, { headers: { origin } });
        ws.on('error', () => {}); // a refused reconnect is expected here
        sockets.push(ws);
        return ws;
      },
    });
    const states: ConnectionState[] = [];
    api.onConnection!((s) => states.push(s));
    await vi.waitUntil(() => states.at(-1) === 'connected', { timeout: 5_000, interval: 10 });

    await host.close();
    for (const s of sockets) s.terminate();
    await vi.waitUntil(() => states.at(-1) === 'lost', { timeout: 10_000, interval: 10 });
    await expect(api.call('app.info', {})).rejects.toMatchObject({ code: 'unavailable' });

    host = await startWebHost({ services: env.services, staticDir, port, token: 'first-token-aaaaaaaaaaaaaaaa' });
    await vi.waitUntil(() => states.at(-1) === 'connected', { timeout: 15_000, interval: 10 });
    expect((await api.call('app.info', {})).version).toBeTruthy();

    await host.close();
    for (const s of sockets) s.terminate();
    host = await startWebHost({ services: env.services, staticDir, port, token: 'second-token-bbbbbbbbbbbbbbbb' });
    await vi.waitUntil(() => states.at(-1) === 'restarted', { timeout: 15_000, interval: 10 });
    expect(states).toEqual(['connected', 'lost', 'connected', 'lost', 'restarted']);
    await host.close();
    for (const s of sockets) s.terminate();
  });
});
