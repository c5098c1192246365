import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Services } from '../app/services';
import { createApi } from './api';
import { createAuthGate } from './auth';
import { createEventStream } from './event-stream';
import { refuse } from './http-reply';
import { newToken } from './security';
import { createStaticFiles } from './static-files';

export interface WebHostOptions {
  services: Services;
  /** Built renderer (out/renderer); static files are public, the API is not. */
  staticDir: string;
  port?: number;
  token?: string;
  /** Largest JSON request body; an upload chunk of 4 MiB is about 5.6 MB as base64. */
  maxBodyBytes?: number;
}

export interface WebHost {
  url: string;
  /** The URL to open in a browser: the token travels in the fragment, which is never sent to a server. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The local web host: the same renderer and the same dispatch as the Electron app, over HTTP (calls)
 * and a WebSocket (events). Bound to 127.0.0.1 only; every /api/ request needs the per-run token.
 * Routing only: auth.ts, static-files.ts, api.ts and event-stream.ts each do one part.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  let port = 0;
  const boundPort = (): number => port;
  const authorised = createAuthGate(token, boundPort);
  const serveStatic = createStaticFiles(options.staticDir, boundPort);
  const api = createApi(options.services.handlers, options.maxBodyBytes ?? 8 * 1024 * 1024);
  const events = createEventStream(options.services.events, authorised);

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!url.pathname.startsWith('/api/')) return serveStatic(req, res);
      if (!authorised(req, res)) return;
      await api(req, res, url.pathname);
    })().catch((e) => {
      console.error('web host error:', e);
      if (!res.headersSent) refuse(res, 500, 'internal', 'internal error');
    });
  });
  server.requestTimeout = 120_000;
  server.on('upgrade', (req, socket, head) => events.upgrade(req, socket, head));

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((done) => {
        events.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
