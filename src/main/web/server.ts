import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_SINCE_PARAM, EVENT_SINCE_PATTERN, type EventFrame, type Reply } from '../../shared/contract';
import { dispatch } from '../app/dispatch';
import type { Services } from '../app/services';
import { WEB_HOST_META_CSP, withMetaCsp } from './csp';
import { CONTENT_SECURITY_POLICY, FailureLimiter, hostAndOriginOk, newToken, tokenOf, tokensEqual } from './security';

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

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { ok: false, error: { code, message } } satisfies Reply<never> | object);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      resolveBody('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The local web host: the same renderer and the same dispatch as the Electron app, over HTTP (calls)
 * and a WebSocket (events). Bound to 127.0.0.1 only; every /api/ request needs the per-run token.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const staticRoot = resolve(options.staticDir);
  const limiter = new FailureLimiter();
  const { services } = options;
  let port = 0;

  const authorised = (req: IncomingMessage, res: ServerResponse | null): boolean => {
    const address = req.socket.remoteAddress ?? '?';
    if (!hostAndOriginOk(req, port)) {
      if (res) refuse(res, 403, 'unauthorized', 'foreign Host or Origin');
      return false;
    }
    const given = tokenOf(req);
    // The right token always gets through: every local process shares 127.0.0.1, so blocking the
    // address would let any of them lock the real UI out by guessing wrong on purpose.
    if (given && tokensEqual(given, token)) return true;
    if (limiter.blocked(address)) {
      if (res) refuse(res, 429, 'unauthorized', 'too many requests with a wrong token; wait a minute');
      return false;
    }
    limiter.fail(address);
    if (res) refuse(res, 401, 'unauthorized', 'missing or wrong token');
    return false;
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (!hostAndOriginOk(req, port)) {
      res.writeHead(403).end();
      return;
    }
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      // A malformed escape ("/%c0%ae", "/%") is the client's error, not a server failure.
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    const rel = normalize(urlPath === '/' ? '/index.html' : urlPath);
    const file = join(staticRoot, rel);
    if (!file.startsWith(staticRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    // The page's own meta policy is the Electron one (no sockets): browser mode's events need the loopback WebSocket.
    else if (extname(file) === '.html' && /<meta\s+http-equiv="Content-Security-Policy"/.test(readFileSync(file, 'utf8'))) res.end(withMetaCsp(readFileSync(file, 'utf8'), WEB_HOST_META_CSP));
    else createReadStream(file).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!url.pathname.startsWith('/api/')) return serveStatic(req, res);
      if (!authorised(req, res)) return;
      const match = /^\/api\/call\/([a-z][A-Za-z.]{1,60})$/.exec(url.pathname);
      if (!match || req.method !== 'POST') return refuse(res, 404, 'unknown-method', `no such endpoint: ${req.method} ${url.pathname}`);
      const body = await readBody(req, maxBody);
      if (body === 'too-large') return refuse(res, 413, 'too-large', `request body over ${maxBody} bytes`);
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        return refuse(res, 400, 'invalid-input', 'request body is not valid JSON');
      }
      const reply = await dispatch(services.handlers, match[1], input, { transport: 'http', trusted: false });
      const status = reply.ok ? 200 : reply.error.code === 'internal' ? 500 : reply.error.code === 'unknown-method' || reply.error.code === 'not-found' ? 404 : reply.error.code === 'unauthorized' ? 403 : 400;
      send(res, status, reply);
    })().catch((e) => {
      console.error('web host error:', e);
      if (!res.headersSent) refuse(res, 500, 'internal', 'internal error');
    });
  });
  server.requestTimeout = 120_000;

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith('planter.')) ?? false });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/events' || !authorised(req, null)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    const sinceParam = url.searchParams.get(EVENT_SINCE_PARAM);
    if (sinceParam !== null && !EVENT_SINCE_PATTERN.test(sinceParam)) {
      socket.write(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n${EVENT_SINCE_PARAM} must be a sequence number`);
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const sendFrame = (frame: EventFrame): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
      };
      // Hello, the missed events and the subscription happen in one turn of the event loop, so
      // no event can fall between the replay and the live stream.
      sendFrame({ kind: 'hello', seq: services.events.seq });
      if (sinceParam !== null) {
        const missed = services.events.since(Number(sinceParam));
        if (missed === 'gap') sendFrame({ kind: 'gap', seq: services.events.seq });
        else for (const e of missed) sendFrame({ kind: 'event', ...e });
      }
      const off = services.events.on((event, payload, seq) => sendFrame({ kind: 'event', seq, event, payload }));
      ws.on('close', off);
      ws.on('error', off);
      ws.on('message', () => ws.close(1008, 'events are one-way; use POST /api/call'));
    });
  });

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
        for (const c of sockets.clients) c.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
